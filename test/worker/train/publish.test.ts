import { randomUUID } from 'node:crypto';
import { createRedis, type Redis } from '../../../shared/redis';
import { readServingList, readServingLists, versionKeys } from '../../../shared/serving';
import { cleanupVersions, switchServing, writeVersionLists, writtenVersions, type ServingLists } from '../../../worker/train';
import { deleteKeys } from '../../support/runtime';

const SHOP = 'publish.myshopify.com';
const CUSTOMERS = 300;
const PRODUCTS = 200;

/** Every list of version v names v in each item, so a reader can tell a mix of versions. */
function listsOf(v: number): ServingLists {
  const list = (key: string) => Array.from({ length: 20 }, (_, i) => `v${v}-${key}-${i}`);
  const byKey = (prefix: string, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, list(`${prefix}${i}`)]));
  return {
    trending: list('trending'),
    popular: list('popular'),
    for_you: byKey('c', CUSTOMERS),
    product: byKey('p', PRODUCTS),
    cart: byKey('p', PRODUCTS),
    history: Object.fromEntries(Array.from({ length: CUSTOMERS }, (_, i) => [`c${i}`, [`v${v}-p${i % PRODUCTS}`]])),
  };
}

describe('publishing lists to Redis (real Redis)', () => {
  let redis: Redis;
  let reader: Redis;
  let prefix: string;
  beforeEach(() => {
    prefix = `t${randomUUID().slice(0, 8)}`;
  });
  beforeAll(() => {
    redis = createRedis('redis://127.0.0.1:6379');
    reader = createRedis('redis://127.0.0.1:6379');
  });
  afterEach(() => deleteKeys(redis, `${prefix}:*`));
  afterAll(async () => {
    await redis.quit();
    await reader.quit();
  });

  const publish = async (v: number, now: number, retention: { keepPrevious: number; graceMs: number }) => {
    await writeVersionLists({ redis, prefix, shop: SHOP, version: String(v), lists: listsOf(v), now });
    const switched = await switchServing({ redis, prefix, shop: SHOP, version: String(v) });
    const previous = switched.switched ? switched.previous : undefined;
    const deleted = await cleanupVersions({ redis, prefix, shop: SHOP, ...retention, now });
    return { previous, deleted };
  };

  it('reads nothing before the first publish, then the key’s list, then trending for an unknown key', async () => {
    expect(await readServingList({ redis, prefix, shop: SHOP, placement: 'for_you', key: 'c1' })).toEqual({ version: null, source: 'none', items: [] });
    await publish(1, 1_000, { keepPrevious: 1, graceMs: 0 });
    const own = await readServingList({ redis, prefix, shop: SHOP, placement: 'for_you', key: 'c1' });
    expect(own).toEqual({ version: '1', source: 'list', items: listsOf(1).for_you.c1 });
    const unknown = await readServingList({ redis, prefix, shop: SHOP, placement: 'cart', key: 'nobody' });
    expect(unknown).toEqual({ version: '1', source: 'trending', items: listsOf(1).trending });
    const trending = await readServingList({ redis, prefix, shop: SHOP, placement: 'trending' });
    expect(trending.items).toEqual(listsOf(1).trending);
  });

  it('reads several keys of one placement from one version, null for a key without a list', async () => {
    expect(await readServingLists({ redis, prefix, shop: SHOP, placement: 'cart', keys: ['p1'] })).toEqual({ version: null, trending: [], lists: { p1: null } });
    await publish(1, 1_000, { keepPrevious: 1, graceMs: 0 });
    const read = await readServingLists({ redis, prefix, shop: SHOP, placement: 'cart', keys: ['p1', 'gone', 'p2'] });
    expect(read).toEqual({ version: '1', trending: listsOf(1).trending, lists: { p1: listsOf(1).cart.p1, gone: null, p2: listsOf(1).cart.p2 } });
  });

  it('switches only from the version the run saw: a slower run never replaces a newer publish', async () => {
    await writeVersionLists({ redis, prefix, shop: SHOP, version: '1', lists: listsOf(1), now: 1_000 });
    expect(await switchServing({ redis, prefix, shop: SHOP, version: '1', expected: null })).toEqual({ switched: true, previous: null });
    // Runs A (version 2) and B (version 3) both read version 1 before fitting; B publishes first.
    await writeVersionLists({ redis, prefix, shop: SHOP, version: '3', lists: listsOf(3), now: 2_000 });
    expect(await switchServing({ redis, prefix, shop: SHOP, version: '3', expected: '1' })).toEqual({ switched: true, previous: '1' });
    await writeVersionLists({ redis, prefix, shop: SHOP, version: '2', lists: listsOf(2), now: 3_000 });
    expect(await switchServing({ redis, prefix, shop: SHOP, version: '2', expected: '1' })).toEqual({ switched: false, current: '3' });
    expect((await readServingList({ redis, prefix, shop: SHOP, placement: 'for_you', key: 'c1' })).version).toBe('3');
    // A run that saw nothing serving does not overwrite a pointer set meanwhile either.
    expect(await switchServing({ redis, prefix, shop: SHOP, version: '4', expected: null })).toEqual({ switched: false, current: '3' });
  });

  it('keeps the serving and the previous version, deletes older ones unless they are inside the grace period', async () => {
    const minute = 60_000;
    expect((await publish(1, 1 * minute, { keepPrevious: 1, graceMs: 5 * minute })).deleted).toEqual([]);
    expect((await publish(2, 2 * minute, { keepPrevious: 1, graceMs: 5 * minute })).previous).toBe('1');
    // Version 1 is past "keep one previous" but was written 2 minutes ago: inside the grace period.
    expect((await publish(3, 3 * minute, { keepPrevious: 1, graceMs: 5 * minute })).deleted).toEqual([]);
    expect(await writtenVersions({ redis, prefix, shop: SHOP })).toEqual(['3', '2', '1']);
    // Twenty minutes on, 1 and 2 are outside it; 3 is the previous one and stays.
    expect((await publish(4, 20 * minute, { keepPrevious: 1, graceMs: 5 * minute })).deleted).toEqual(['2', '1']);
    expect(await writtenVersions({ redis, prefix, shop: SHOP })).toEqual(['4', '3']);
    for (const v of ['1', '2']) expect(await redis.exists(...versionKeys(prefix, SHOP, v))).toBe(0);
    // 3 placement hashes, trending, popular, history.
    expect(await redis.exists(...versionKeys(prefix, SHOP, '3'))).toBe(6);
    expect((await readServingList({ redis, prefix, shop: SHOP, placement: 'product', key: 'p7' })).items[0]).toBe('v4-p7-0');
  });

  it('never shows a reader a mix of versions or a miss while versions are published and deleted', async () => {
    await publish(1, 0, { keepPrevious: 0, graceMs: 0 });
    let stop = false;
    let reads = 0;
    const seen = new Set<string>();
    const problems: string[] = [];
    const readLoop = async () => {
      while (!stop) {
        const key = `c${reads % CUSTOMERS}`;
        const r = await readServingList({ redis: reader, prefix, shop: SHOP, placement: 'for_you', key });
        reads++;
        if (r.source !== 'list') problems.push(`read ${reads}: ${r.source} for ${key} (version ${r.version})`);
        else if (!r.items.every((item) => item.startsWith(`v${r.version}-${key}-`))) problems.push(`read ${reads}: version ${r.version} list ${r.items.slice(0, 2).join(',')}`);
        seen.add(String(r.version));
      }
    };
    const loop = readLoop();
    // No previous version kept and no grace: each switch deletes the version readers just used.
    for (let v = 2; v <= 20; v++) await publish(v, v, { keepPrevious: 0, graceMs: 0 });
    stop = true;
    await loop;
    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(20);
    expect(seen.size).toBeGreaterThan(2);
    expect(await writtenVersions({ redis, prefix, shop: SHOP })).toEqual(['20']);
  });
});
