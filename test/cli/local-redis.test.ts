import net from 'node:net';
import { freePort } from '../../shared/cli/free-port';
import { ensureRedis } from '../../shared/cli/local-redis';

/** Whether anything accepts a TCP connection at the URL's host and port. */
function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('ensureRedis', () => {
  it('uses a Redis that answers and starts nothing', async () => {
    const lines: string[] = [];
    const redis = await ensureRedis('redis://127.0.0.1:6379', { log: (line) => lines.push(line) });
    expect(redis).toMatchObject({ url: 'redis://127.0.0.1:6379', started: false });
    expect(lines).toEqual([]);
    await redis.stop();
    expect(await answers('redis://127.0.0.1:6379')).toBe(true);
  });

  it('starts a private redis-server where none answers, says so, and stop waits until it is gone', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const lines: string[] = [];
    const redis = await ensureRedis(closed, { log: (line) => lines.push(line) });
    expect(redis.started).toBe(true);
    expect(redis.url).not.toBe(closed);
    expect(lines).toEqual([`Redis is not reachable at ${closed}: started a private redis-server at ${redis.url} (stops with this run)`]);
    expect(await answers(redis.url)).toBe(true);
    await redis.stop();
    expect(await answers(redis.url)).toBe(false);
    await redis.stop(); // twice is harmless
  });
});
