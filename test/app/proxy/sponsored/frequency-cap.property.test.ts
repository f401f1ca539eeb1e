import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { frequencyCaps } from '../../../../app/proxy/sponsored';
import { createRedis, type Redis } from '../../../../shared/redis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('sponsored frequency caps on the real Redis', () => {
  let redis: Redis;
  let other: Redis;
  beforeAll(() => {
    redis = createRedis(REDIS_URL, { name: 'caps-test' });
    // A second connection stands for a second web process claiming at the same time.
    other = createRedis(REDIS_URL, { name: 'caps-test-2', autoPipelining: true });
  });
  afterAll(async () => {
    await redis.quit();
    await other.quit();
  });

  it('property: concurrent claims from two processes never grant a visitor more than the cap of a campaign in a day, and grant exactly that many when asked for more', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        // Each claim: which visitor (0-2), which campaigns (ids 1-4), through which process.
        fc.array(fc.record({ visitor: fc.integer({ min: 0, max: 2 }), campaigns: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), process: fc.boolean() }), { minLength: 1, maxLength: 60 }),
        async (cap, claims) => {
          const prefix = `capstest-${randomUUID()}`;
          const shop = 'caps.myshopify.com';
          const a = frequencyCaps(redis, prefix);
          const b = frequencyCaps(other, prefix);
          const granted = await Promise.all(
            claims.map((c) => (c.process ? a : b).claim(shop, `address:10.0.0.${c.visitor}`, '2026-11-28', c.campaigns.map(String), cap)),
          );
          const asked = new Map<string, number>();
          const got = new Map<string, number>();
          claims.forEach((c, i) => {
            for (const id of c.campaigns) {
              const key = `${c.visitor}/${id}`;
              asked.set(key, (asked.get(key) ?? 0) + 1);
              if (granted[i]!.has(String(id))) got.set(key, (got.get(key) ?? 0) + 1);
            }
          });
          for (const [key, n] of asked) expect(got.get(key) ?? 0).toBe(Math.min(n, cap));
          // Another day starts from nothing: a shopper capped today is granted tomorrow.
          const capped = claims.find((c) => c.campaigns.some((id) => (asked.get(`${c.visitor}/${id}`) ?? 0) >= cap));
          if (capped) {
            const id = String(capped.campaigns.find((x) => (asked.get(`${capped.visitor}/${x}`) ?? 0) >= cap)!);
            const shopper = `address:10.0.0.${capped.visitor}`;
            expect((await a.claim(shop, shopper, '2026-11-28', [id], cap)).size).toBe(0);
            expect([...(await a.claim(shop, shopper, '2026-11-29', [id], cap))]).toEqual([id]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
