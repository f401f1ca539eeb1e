import net from 'node:net';
import { freePort } from '../../shared/cli/free-port';
import { displayRedisUrl, ensureRedis, noRedisMessage, startPrivateRedis } from '../../shared/cli/local-redis';
import { tcpAnswers } from '../support/tcp-answers';


/** A TCP listener on a free port that accepts connections and never writes a byte (not Redis, or a stuck one). */
async function silentListener(): Promise<{ port: number; accepted(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('ensureRedis', () => {
  it('uses a Redis that answers and starts nothing', async () => {
    const lines: string[] = [];
    const redis = await ensureRedis('redis://127.0.0.1:6379', { log: (line) => lines.push(line) });
    expect(redis).toMatchObject({ url: 'redis://127.0.0.1:6379', started: false });
    expect(lines).toEqual([]);
    await redis.stop();
    expect(await tcpAnswers('redis://127.0.0.1:6379')).toBe(true);
  });

  it('starts a private redis-server where none answers, says so, and stop waits until it is gone', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const lines: string[] = [];
    const redis = await ensureRedis(closed, { log: (line) => lines.push(line) });
    expect(redis.started).toBe(true);
    expect(redis.url).not.toBe(closed);
    expect(lines).toEqual([`Redis is not reachable at ${closed}: started a private redis-server at ${redis.url} (stops with this run)`]);
    expect(await tcpAnswers(redis.url)).toBe(true);
    await redis.stop();
    expect(await tcpAnswers(redis.url)).toBe(false);
    await redis.stop(); // twice is harmless
  });

  it('a listener that accepts and never answers is no Redis: a private one is started instead of waiting on it', async () => {
    const silent = await silentListener();
    try {
      const url = `redis://127.0.0.1:${silent.port}`;
      const lines: string[] = [];
      const redis = await ensureRedis(url, { log: (line) => lines.push(line) });
      try {
        expect(silent.accepted()).toBeGreaterThan(0); // it was asked, and judged by its silence
        expect(redis.started).toBe(true);
        expect(redis.url).not.toBe(url);
        expect(lines).toEqual([`Redis is not reachable at ${url}: started a private redis-server at ${redis.url} (stops with this run)`]);
        expect(await tcpAnswers(redis.url)).toBe(true);
      } finally {
        await redis.stop();
      }
    } finally {
      await silent.close();
    }
  });

  it('never prints the user or password a REDIS_URL carries', async () => {
    const closed = `redis://shelfwise:s3cret-pw@127.0.0.1:${await freePort()}/0`;
    const lines: string[] = [];
    const redis = await ensureRedis(closed, { log: (line) => lines.push(line) });
    try {
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`Redis is not reachable at redis://127.0.0.1:${new URL(closed).port}/0:`);
      expect(lines.join('\n')).not.toMatch(/s3cret-pw|shelfwise@/);
    } finally {
      await redis.stop();
    }
    expect(noRedisMessage(closed)).not.toMatch(/s3cret-pw|shelfwise@/);
  });
});

describe('displayRedisUrl', () => {
  it.each([
    ['redis://:s3cret@redis.internal:6380', 'redis://redis.internal:6380'],
    ['rediss://default:s3cret@redis.example.com:6379/2', 'rediss://redis.example.com:6379/2'],
    ['redis://redis.internal:6379/0?password=s3cret&family=6', 'redis://redis.internal:6379/0?family=6'],
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
  ])('%s is shown as %s', (url, shown) => {
    expect(displayRedisUrl(url)).toBe(shown);
  });
});

describe('startPrivateRedis', () => {
  it('a redis-server that cannot bind (its port taken) is reported with its own words once it has exited', async () => {
    // The default test timeout (5 s) is shorter than the 100 polls of 100 ms the start would wait on a keeper outliving redis-server.
    const taken = await silentListener();
    try {
      const started = await startPrivateRedis(taken.port);
      expect('failed' in started && started.failed).toMatch(/^exit 1: [\s\S]*(Address already in use|Failed listening on port)/);
    } finally {
      await taken.close();
    }
  });
});
