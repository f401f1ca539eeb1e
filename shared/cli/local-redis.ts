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
 * The URL as it may be printed: without the user and password a REDIS_URL can carry
 * (`redis://:secret@host`), which would otherwise end up in terminals, logs and CI output.
 */
export function displayRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password && !parsed.searchParams.has('password')) return url;
    parsed.username = '';
    parsed.password = '';
    parsed.searchParams.delete('password');
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/]*@/, '//');
  }
}

/**
 * The message when there is no Redis to use: what is wrong and how to get it, nothing more
 * (the bin prints an error's message, never its stack).
 */
export function noRedisMessage(url: string): string {
  return [
    `Redis is not reachable at ${displayRedisUrl(url)}, and redis-server is not installed to start a private one.`,
    'Get Redis with one of:',
    '  Debian/Ubuntu: sudo apt-get install redis-server',
    '  macOS:         brew install redis',
    '  or point REDIS_URL at a running Redis (redis://host:port)',
  ].join('\n');
}

/** How long a probe may take: a listener that accepts and never answers (not Redis, or a stuck one) is not a Redis to use. */
const PROBE_MS = 1500;

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
    socket.setTimeout(PROBE_MS, () => socket.destroy(new Error('timeout')));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether a Redis answers PING there within PROBE_MS (ioredis alone would wait for a reply forever). */
async function reachable(url: string): Promise<boolean> {
  if (!(await tcpOpen(url))) return false;
  // disconnectTimeout: a peer that never answers never closes either; ioredis would hold the socket 2 s more.
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: PROBE_MS, commandTimeout: PROBE_MS, disconnectTimeout: 100 });
  // Without a listener ioredis prints the refused connection with its stack on stderr.
  probe.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  // Unref'd: the probe's socket keeps the process up while it waits; the timer alone need not.
  const silent = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_MS).unref()));
  const answered = (async () => {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  })().catch(() => false);
  try {
    return await Promise.race([answered, silent]);
  } finally {
    clearTimeout(timer);
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
 * - a reader in the background reads the keeper's stdin, a pipe from this process (fd 3 carries
 *   it there: sh gives background jobs /dev/null for stdin): when that closes, because `stop`
 *   ended it or because this process died in any way (SIGKILL included), it stops redis-server
 *   (SIGTERM, no persistence configured);
 * - the keeper itself waits for redis-server and exits with it, the reader stopped: a
 *   redis-server that fails to start (port taken, bad option) ends the keeper at once, so the
 *   start loop below sees it in one poll instead of waiting out its attempts.
 */
const KEEPER = [
  'exec 3<&0',
  'redis-server "$@" 3<&- & r=$!',
  '{ while read -r _; do :; done; kill "$r" 2>/dev/null; } <&3 3<&- & w=$!',
  'exec 3<&-',
  'wait "$r"; s=$?',
  'kill "$w" 2>/dev/null',
  'exit "$s"',
].join('\n');

/**
 * A private redis-server on that port, answering, or why not (the last lines it printed).
 * Exported for its test: ensureRedis is the way in.
 */
export async function startPrivateRedis(port: number): Promise<{ stop(): Promise<void>; output(): string } | { failed: string }> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--logfile', ''];
  const keeper = spawn('/bin/sh', ['-c', KEEPER, 'shelfwise-redis', ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let log = '';
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000));
  keeper.stdout!.on('data', keep);
  keeper.stderr!.on('data', keep);
  keeper.stdin!.on('error', () => undefined); // the keeper already gone: nothing left to stop
  const exited = new Promise<void>((resolve) => keeper.once('exit', () => resolve()));
  // After exit, once its output has been read to the end (what redis-server said on failing).
  const closed = new Promise<void>((resolve) => keeper.once('close', () => resolve()));
  const gone = () => keeper.exitCode !== null || keeper.signalCode !== null;
  // Not waited for by Node's event loop: the demo exits when its work is done.
  keeper.unref();
  (keeper.stdout as unknown as { unref?(): void }).unref?.();
  (keeper.stderr as unknown as { unref?(): void }).unref?.();
  (keeper.stdin as unknown as { unref?(): void }).unref?.();
  const stop = async () => {
    if (!gone()) {
      keeper.ref(); // wait for it even when nothing else is left running
      keeper.stdin!.end();
      await exited;
    }
  };
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !gone(); i++) {
    if (await Promise.race([reachable(url), exited.then(() => false)])) return { stop, output: () => log };
    // The next poll, or the keeper's exit (redis-server gave up), whichever comes first.
    await Promise.race([new Promise((r) => setTimeout(r, 100)), exited]);
  }
  await stop();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 1000)))]);
  clearTimeout(timer);
  const exit = keeper.exitCode !== null ? `exit ${keeper.exitCode}` : keeper.signalCode ? `killed by ${keeper.signalCode}` : 'did not answer';
  return { failed: `${exit}: ${log.trim().split('\n').slice(-3).join('\n') || 'no output'}` };
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
    const started = await startPrivateRedis(port);
    if ('failed' in started) {
      failure = `redis-server on port ${port}: ${started.failed}`;
      continue;
    }
    const privateUrl = `redis://127.0.0.1:${port}`;
    (options.log ?? console.log)(`Redis is not reachable at ${displayRedisUrl(url)}: started a private redis-server at ${privateUrl} (stops with this run)`);
    return { url: privateUrl, started: true, stop: started.stop };
  }
  throw new Error(`Redis is not reachable at ${displayRedisUrl(url)}, and a private redis-server would not start (${failure})`);
}
