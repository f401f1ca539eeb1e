import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export interface HttpPoster {
  post(body: string, headers: Record<string, string>): Promise<HttpResponse>;
  close(): void;
}

export interface HttpPosterOptions {
  url: string;
  /** Most sockets kept open to the server; match the send concurrency. */
  maxSockets: number;
  /** Give up on one request after this long, in ms (it is then retried). Default 10,000. */
  timeoutMs?: number;
}

/**
 * POSTs to one URL over keep-alive connections: node:http's own agent, so replaying half a
 * million line items does not open a socket per delivery. Connection errors and timeouts
 * reject; any HTTP status resolves (the caller decides what is worth a retry).
 */
export function createHttpPoster({ url, maxSockets, timeoutMs = 10_000 }: HttpPosterOptions): HttpPoster {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  return {
    post(body, headers) {
      return new Promise<HttpResponse>((resolve, reject) => {
        const request = client.request(
          target,
          { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: response.headers }),
            );
          },
        );
        request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        request.on('error', reject);
        request.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
