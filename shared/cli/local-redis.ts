import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';
import { freePort } from './free-port';

export interface LocalRedis {
  url: string;
  /** True when this run started a private redis-server (stopped by `stop`). */
  started: boolean;
  /** Stops the private redis-server and resolves once it has exited; nothing for a configured one. */
  stop(): Promise<void>;
}

/**
 * The message when there is no Redis to use: what is wrong and how to get it, nothing more
 * (the bin prints an error's message, never its stack).
 */
export function noRedisMessage(url: string): string {
  return [
    `Redis is not reachable at ${url}, and redis-server is not installed to start a private one.`,
    'Get Redis with one of:',
    '  Debian/Ubuntu: sudo apt-get install redis-server',
    '  macOS:         brew install redis',
    '  or point REDIS_URL at a running Redis (redis://host:port)',
  ].join('\n');
}

/** Whether anything accepts a TCP connection there (a refused port needs no Redis client, whose timers outlive it). */
function tcpOpen(url: string): Promise<boolean> {
  let host: string;
  let port: number;
  try {
    const parsed = new URL(url);
    host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    port = Number(parsed.port || 6379);
  } catch {
    return Promise.resolve(true); // not host:port: let the client judge
  }
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.setTimeout(1500, () => socket.destroy(new Error('timeout')));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function reachable(url: string): Promise<boolean> {
  if (!(await tcpOpen(url))) return false;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 });
  // Without a listener ioredis prints the refused connection with its stack on stderr.
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The private redis-server runs under a small /bin/sh keeper in a process group of its own:
 * - the terminal's Ctrl-C (sent to the whole foreground group) does not reach it, so it stays up
 *   while the demo drains its workers, and the demo stops it last;
 * - the keeper reads its stdin, a pipe from this process: when that closes, because `stop` ended
 *   it or because this process died in any way (SIGKILL included), it stops redis-server
 *   (SIGTERM, no persistence configured) and waits for it before exiting.
 */
const KEEPER = 'redis-server "$@" & r=$!; while read -r _; do :; done; kill "$r" 2>/dev/null; wait "$r"';

async function startPrivate(port: number): Promise<{ stop(): Promise<void>; output(): string } | { failed: string }> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--logfile', ''];
  const keeper = spawn('/bin/sh', ['-c', KEEPER, 'shelfwise-redis', ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let log = '';
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000));
  keeper.stdout!.on('data', keep);
  keeper.stderr!.on('data', keep);
  keeper.stdin!.on('error', () => undefined); // the keeper already gone: nothing left to stop
  const exited = new Promise<void>((resolve) => keeper.once('exit', () => resolve()));
  // Not waited for by Node's event loop: the demo exits when its work is done.
  keeper.unref();
  (keeper.stdout as unknown as { unref?(): void }).unref?.();
  (keeper.stderr as unknown as { unref?(): void }).unref?.();
  (keeper.stdin as unknown as { unref?(): void }).unref?.();
  const stop = async () => {
    if (keeper.exitCode === null && keeper.signalCode === null) {
      keeper.ref(); // wait for it even when nothing else is left running
      keeper.stdin!.end();
      await exited;
    }
  };
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (keeper.exitCode !== null) break;
    if (await reachable(url)) return { stop, output: () => log };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  return { failed: log.trim().split('\n').slice(-3).join('\n') || 'no output' };
}

/**
 * The Redis the embedded setup uses: the configured one when it answers; otherwise, where
 * `redis-server` is installed, a private one on a free port that stops with us (even when this
 * process is killed); otherwise one clear message on how to get Redis.
 */
export async function ensureRedis(url: string, options: { log?: (line: string) => void } = {}): Promise<LocalRedis> {
  if (await reachable(url)) return { url, started: false, stop: async () => undefined };
  if (!redisServerInstalled()) throw new Error(noRedisMessage(url));
  let failure = '';
  // Another process may take the free port before redis-server binds it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const started = await startPrivate(port);
    if ('failed' in started) {
      failure = `redis-server on port ${port} did not answer: ${started.failed}`;
      continue;
    }
    const privateUrl = `redis://127.0.0.1:${port}`;
    (options.log ?? console.log)(`Redis is not reachable at ${url}: started a private redis-server at ${privateUrl} (stops with this run)`);
    return { url: privateUrl, started: true, stop: started.stop };
  }
  throw new Error(`Redis is not reachable at ${url}, and a private redis-server would not start (${failure})`);
}
