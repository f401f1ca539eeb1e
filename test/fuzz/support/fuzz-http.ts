import http from 'node:http';
import net from 'node:net';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * One request over node:http, headers and path as given (no normalisation beyond what node:http
 * itself refuses to send), the body as bytes.
 */
export function send(base: string, { method = 'GET', path = '/', headers = {}, body }: { method?: string; path?: string; headers?: Record<string, string | string[]>; body?: Buffer | string }): Promise<HttpAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Raw bytes on a fresh TCP connection, for requests node:http would refuse to build (bad request
 * lines, control characters in headers). The connection stays open as a browser's would (a
 * half-closed one has its request dropped by node:http); the answer is what arrived until the
 * server closed it, or until it fell quiet: `waitMs` with nothing, 50 ms after the last bytes.
 * Status 0 when nothing came (an incomplete request the server still waits on).
 */
export function sendRaw(base: string, bytes: Buffer, { waitMs = 300 } = {}): Promise<{ status: number; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const quiet = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), ms);
    };
    socket.on('connect', () => {
      socket.write(bytes);
      quiet(waitMs);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      quiet(50);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: status ? Number(status[1]) : 0, text });
    });
  });
}

/** Signs of an internal error leaking into a response: stack frames, source paths, driver messages. */
const LEAKS = [/\n\s+at [^\n]+/, /\bat [\w$.<>]+ \([^)]*:\d+:\d+\)/, /node_modules/, /\.ts:\d+/, /\/work\//, /violates .* constraint/, /syntax error at or near/];

/** What every answer to hostile input must be: a client error or success, never a 5xx, no internals. */
export function cleanAnswerProblems(answer: { status: number; text: string }): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`status ${answer.status}`);
  for (const leak of LEAKS) if (leak.test(answer.text)) problems.push(`body leaks ${leak}: ${answer.text.slice(0, 300)}`);
  return problems;
}

/** The process still serves: its health check answers 200. */
export async function stillHealthy(base: string): Promise<boolean> {
  const res = await send(base, { path: '/healthz' });
  return res.status === 200;
}
