import { randomUUID } from 'node:crypto';
import { createRedis, type Redis } from '../../../shared/redis';
import { readStorefrontLists, servingKeys, type FallbackLists } from '../../../shared/serving';
import { switchServing, writeVersionLists, type ServingLists } from '../../../worker/train';
import { deleteKeys } from '../../support/runtime';

const SHOP = 'storefront-read.myshopify.com';

const lists = (v: string): ServingLists => ({
  trending: [`${v}t1`, `${v}t2`],
  popular: [`${v}b1`],
  for_you: { alice: [`${v}a1`, `${v}a2`] },
  product: { p1: [`${v}x1`], p2: [`${v}x2`, `${v}x3`] },
  cart: { p1: [`${v}c1`] },
  // Newest first; p9 has no product list.
  history: { alice: ['p2', 'p9', 'p1'] },
});

describe('readStorefrontLists (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(() => {
    redis = createRedis('redis://127.0.0.1:6379');
  });
  beforeEach(() => {
    prefix = `t${randomUUID().slice(0, 8)}`;
  });
  afterEach(() => deleteKeys(redis, `${prefix}:*`));
  afterAll(() => redis.quit());

  const publish = async (version: string, l: ServingLists) => {
    await writeVersionLists({ redis, prefix, shop: SHOP, version, lists: l, now: Number(version) });
    await switchServing({ redis, prefix, shop: SHOP, version });
  };

  it('answers empty lists and no version before anything is published', async () => {
    expect(await readStorefrontLists({ redis, prefix, shop: SHOP, lookups: [{ placement: 'product', key: 'p1' }], historyOf: 'alice' })).toEqual({
      version: null,
      trending: [],
      popular: [],
      lists: [null],
      history: [],
    });
  });

  it('reads fallbacks, any lookups and a customer’s history with each bought product’s list, from the serving version only', async () => {
    await publish('1', lists('v1-'));
    await publish('2', lists('v2-'));
    const read = await readStorefrontLists({
      redis,
      prefix,
      shop: SHOP,
      lookups: [
        { placement: 'for_you', key: 'alice' },
        { placement: 'product', key: 'p2' },
        { placement: 'cart', key: 'nope' },
      ],
      historyOf: 'alice',
    });
    expect(read).toEqual({
      version: '2',
      trending: ['v2-t1', 'v2-t2'],
      popular: ['v2-b1'],
      lists: [['v2-a1', 'v2-a2'], ['v2-x2', 'v2-x3'], null],
      history: [
        { productId: 'p2', list: ['v2-x2', 'v2-x3'] },
        { productId: 'p9', list: null },
        { productId: 'p1', list: ['v2-x1'] },
      ],
    });
    const stranger = await readStorefrontLists({ redis, prefix, shop: SHOP, lookups: [], historyOf: 'bob' });
    expect(stranger).toMatchObject({ version: '2', lists: [], history: [] });
  });

  it('reads a version published before popular and history existed as empty ones', async () => {
    const { popular: _p, history: _h, ...old } = lists('v3-');
    await publish('3', old);
    const read = await readStorefrontLists({ redis, prefix, shop: SHOP, lookups: [{ placement: 'cart', key: 'p1' }], historyOf: 'alice' });
    expect(read).toEqual({ version: '3', trending: ['v3-t1', 'v3-t2'], popular: [], lists: [['v3-c1']], history: [] });
  });

  it('keeps a version’s fallback lists between requests and takes the new ones when another version serves', async () => {
    await publish('1', lists('v1-'));
    const fallbacks: FallbackLists = { version: null, trending: [], popular: [] };
    const first = await readStorefrontLists({ redis, prefix, shop: SHOP, lookups: [{ placement: 'product', key: 'p1' }], fallbacks });
    expect(first.trending).toEqual(['v1-t1', 'v1-t2']);
    expect(fallbacks).toEqual({ version: '1', trending: ['v1-t1', 'v1-t2'], popular: ['v1-b1'] });
    // A version's lists never change once written; rewriting one here shows the held copy is used.
    await redis.set(servingKeys(prefix, SHOP).list('1', 'trending'), JSON.stringify(['changed']));
    const again = await readStorefrontLists({ redis, prefix, shop: SHOP, lookups: [{ placement: 'product', key: 'p1' }], fallbacks });
    expect(again.trending).toEqual(['v1-t1', 'v1-t2']);
    expect(again.lists).toEqual([['v1-x1']]);
    await publish('2', lists('v2-'));
    const next = await readStorefrontLists({ redis, prefix, shop: SHOP, lookups: [{ placement: 'product', key: 'p1' }], fallbacks });
    expect(next).toMatchObject({ version: '2', trending: ['v2-t1', 'v2-t2'], popular: ['v2-b1'], lists: [['v2-x1']] });
    expect(fallbacks.version).toBe('2');
  });
});
