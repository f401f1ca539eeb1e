import { randomUUID } from 'node:crypto';
import { perMinute, RateLimiter } from '../../../app/http/rate-limit';
import { createRedis, type Redis } from '../../../shared/redis';
import { testConfig } from '../../support/config';
import { deleteKeys } from '../../support/runtime';

describe('RateLimiter (real Redis)', () => {
  const prefix = `rl${randomUUID().slice(0, 8)}`;
  let redis: Redis;
  const clock = { ms: Date.UTC(2026, 10, 28, 10, 0, 15) };
  const limiter = () => new RateLimiter({ redis, prefix, addressKey: 'address-key-0123456789', now: () => clock.ms });

  beforeAll(() => {
    redis = createRedis(testConfig().redisUrl);
  });
  afterAll(async () => {
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
  });

  it('allows the limit, refuses past it with the seconds left in the window, and starts again in the next window', async () => {
    const rule = perMinute('t1', 3);
    const l = limiter();
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await l.hit(rule, { shop: 'a.myshopify.com' }));
    expect(outcomes).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: false, retryAfterSeconds: 45 }, { ok: false, retryAfterSeconds: 45 }]);
    // Another shop and another address count on their own.
    expect(await l.hit(rule, { shop: 'b.myshopify.com' })).toEqual({ ok: true });
    expect(await l.hit(rule, { shop: 'a.myshopify.com', address: '203.0.113.1' })).toEqual({ ok: true });
    clock.ms += 45_000;
    expect(await l.hit(rule, { shop: 'a.myshopify.com' })).toEqual({ ok: true });
  });

  it("keys carry the shop's hash tag and expire; an address appears only as a keyed hash", async () => {
    const l = limiter();
    await l.hit(perMinute('t2', 10), { shop: 'keys.myshopify.com', address: '198.51.100.23' });
    await l.hit(perMinute('t2', 10), { address: '198.51.100.23' });
    const keys = await redis.keys(`${prefix}:*t2*`);
    expect(keys).toHaveLength(2);
    expect(keys.some((k) => k.startsWith(`${prefix}:{keys.myshopify.com}:rl:t2:a-`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${prefix}:rl:t2:a-`))).toBe(true);
    for (const key of keys) {
      expect(key).not.toContain('198.51.100.23');
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(61);
    }
  });

  it('lets requests through when Redis fails, and says so', async () => {
    const broken = createRedis(testConfig().redisUrl);
    // The real client with one method failing, as a Redis outage would make it.
    broken.eval = (() => Promise.reject(new Error('connection lost'))) as typeof broken.eval;
    const errors: unknown[] = [];
    const l = new RateLimiter({ redis: broken, prefix, addressKey: 'k-0123456789abcdef', now: () => clock.ms, onError: (e) => errors.push(e) });
    try {
      expect(await l.hit(perMinute('t3', 1), { shop: 'x.myshopify.com' })).toEqual({ ok: true });
      expect(errors).toHaveLength(1);
    } finally {
      await broken.quit();
    }
  });
});
