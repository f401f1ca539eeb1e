import { createRedis, type Redis } from '../../../shared/redis';
import { deleteServing, readServingList, servingKeys } from '../../../shared/serving';
import { switchServing, writeVersionLists, type ServingLists } from '../../../worker/train';
import { deleteKeys } from '../../support/runtime';

const lists = (tag: string): ServingLists => ({
  trending: [`${tag}-t`],
  popular: [`${tag}-p`],
  for_you: { c1: [`${tag}-a`] },
  product: { p1: [`${tag}-b`] },
  cart: { p1: [`${tag}-c`] },
  history: { c1: [`${tag}-b`] },
});

describe('deleteServing (real Redis)', () => {
  const prefix = `test-delete-serving-${process.pid}`;
  let redis: Redis;
  beforeAll(() => {
    redis = createRedis('redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
  });

  it("removes every key of one shop's published lists and leaves other shops alone", async () => {
    for (const shop of ['gone.myshopify.com', 'kept.myshopify.com']) {
      for (const version of ['1', '2']) await writeVersionLists({ redis, prefix, shop, version, lists: lists(shop), now: Number(version) });
      await switchServing({ redis, prefix, shop, version: '2' });
    }
    // pointer + versions set + 2 versions × (3 placement hashes + trending + popular + history)
    expect(await deleteServing({ redis, prefix, shop: 'gone.myshopify.com' })).toBe(14);
    expect(await redis.exists(servingKeys(prefix, 'gone.myshopify.com').pointer)).toBe(0);
    expect(await readServingList({ redis, prefix, shop: 'gone.myshopify.com', placement: 'for_you', key: 'c1' })).toEqual({ version: null, source: 'none', items: [] });
    expect((await readServingList({ redis, prefix, shop: 'kept.myshopify.com', placement: 'for_you', key: 'c1' })).items).toEqual(['kept.myshopify.com-a']);
  });
});
