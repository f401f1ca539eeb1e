import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './free-port';

async function reachable(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * The Redis the embedded setup uses: the configured one when it answers; otherwise, where
 * `redis-server` is installed, a private one on a free port that stops with us; otherwise
 * one clear message on how to get Redis.
 */
export async function ensureRedis(url: string): Promise<{ url: string; stop(): Promise<void> }> {
  if (await reachable(url)) return { url, stop: async () => undefined };
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      `Redis is not reachable at ${url} and redis-server is not installed.\n` +
        `Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.`,
    );
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const privateUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await reachable(privateUrl)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await reachable(privateUrl))) {
    child.kill();
    throw new Error(`started redis-server on port ${port} but it does not answer`);
  }
  return {
    url: privateUrl,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
