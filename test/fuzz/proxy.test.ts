import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { appProxySignature } from '../../shared/shopify';
import { STOREFRONT_PLACEMENTS } from '../../shared/storefront';
import { STOREFRONT_EVENT_TYPES } from '../../shared/tracking';
import { TEST_SECRET } from '../support/config';
import { testRuntime } from '../support/runtime';
import { mintToken } from '../support/storefront-events';
import { insertProducts, insertShop, startProxyApp } from '../app/proxy/recommendations/storefront-fixtures';
import { anyText, headerValue, percentEncode, queryString } from './support/arbitraries';
import { cleanAnswerProblems, send, stillHealthy } from './support/fuzz-http';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from './support/fuzz-runs';
import { FuzzTally } from './support/fuzz-tally';
import { hostileValue, mutated } from './support/hostile-values';
import { queuesReady, settledSnapshot, snapshotStore, storeChanges, type StoreSnapshot } from './support/store-snapshot';

const SHOP = 'fuzz-proxy.myshopify.com';
const PRODUCTS = ['101', '102', '103', '104', '105', '106'];

/**
 * What a refused storefront request may still write, by design: the per-address read limit's
 * counter (app/http/rate-limit, `rl:`) and the events endpoint's per-minute rate counters
 * (every event of a beacon counts, valid or not: app/proxy/events/append-events.ts).
 */
const SIDE_EFFECTS = { redisKeys: [/(^|:)rl:/, /^\{storefront-events\}:rate:/] };

const SHOPIFY_PARAMS = new Set(['shop', 'logged_in_customer_id', 'path_prefix', 'timestamp', 'signature']);
const randomAddress = () => `10.${[...randomBytes(3)].join('.')}`;

/** A parameter's value: one a block sends, or anything (text, raw bytes that are not UTF-8). */
const valueFor = (key: string): fc.Arbitrary<string | Uint8Array> => {
  const good: Record<string, fc.Arbitrary<string>> = {
    placement: fc.constantFrom(...STOREFRONT_PLACEMENTS),
    product_id: fc.constantFrom(...PRODUCTS),
    cart: fc.subarray(PRODUCTS).map((ids) => ids.join(',')),
    recent: fc.subarray(PRODUCTS).map((ids) => ids.join(',')),
    exclude: fc.subarray(PRODUCTS).map((ids) => ids.join(',')),
    limit: fc.integer({ min: 0, max: 25 }).map(String),
    max_per_vendor: fc.integer({ min: 0, max: 25 }).map(String),
    format: fc.constantFrom('json', 'liquid'),
    sponsored: fc.integer({ min: 0, max: 5 }).map(String),
    visitor: fc.stringMatching(/^[0-9A-Za-z_-]{6,70}$/),
  };
  return fc.oneof({ weight: 8, arbitrary: good[key] ?? anyText }, { weight: 1, arbitrary: anyText }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }) });
};
const knownKey = fc.constantFrom('placement', 'product_id', 'cart', 'recent', 'exclude', 'limit', 'max_per_vendor', 'format', 'sponsored', 'visitor');
const pair = fc.oneof(
  { weight: 4, arbitrary: knownKey.chain((key) => fc.tuple(fc.constant<string | Uint8Array>(key), valueFor(key))) },
  { weight: 1, arbitrary: fc.tuple(anyText.filter((k) => !SHOPIFY_PARAMS.has(k)), anyText) },
);

/** The query Shopify forwards: the storefront's pairs as the app will decode them, plus Shopify's own, signed. */
function signedQuery(pairs: Array<[string | Uint8Array, string | Uint8Array]>, { nowMs, customer = '', secret = TEST_SECRET }: { nowMs: number; customer?: string; secret?: string }): string {
  const all: Array<[string | Uint8Array, string | Uint8Array]> = [['shop', SHOP], ['logged_in_customer_id', customer], ['path_prefix', '/apps/shelfwise'], ...pairs, ['timestamp', String(Math.floor(nowMs / 1000))]];
  const text = queryString(all);
  // Shopify signs the values it forwards; the app reads them back through URLSearchParams.
  const decoded = [...new URLSearchParams(text)] as Array<[string, string]>;
  return `${text}&signature=${appProxySignature(decoded, secret)}`;
}

jest.setTimeout(FUZZ_TIMEOUT_MS);

describe('fuzz: the app proxy over real HTTP (PostgreSQL, Redis)', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let app: Awaited<ReturnType<typeof startProxyApp>>;
  const clock = { now: Date.now() };
  let campaignId: string;
  const tally = new FuzzTally();

  beforeAll(async () => {
    runtime = await testRuntime({ backend: 'postgres' });
    await insertShop(runtime.db, SHOP, 'EUR');
    await insertProducts(runtime.db, SHOP, PRODUCTS.map((id, i) => ({ id, vendor: `Vendor ${i % 3}`, tags: ['tea'] })));
    // A live campaign and open settings, so sponsored slots are auctioned and their clicks charged.
    const campaign = await runtime.db
      .insertInto('sponsored_campaigns')
      .values({ shop: SHOP, name: 'Fuzz', vendor: 'Vendor 0', advertiser: 'Vendor 0', max_cpc_minor: 50, daily_budget_minor: 100_000, total_budget_minor: 1_000_000, currency: 'EUR', starts_at: new Date(clock.now - 86_400_000).toISOString(), ends_at: null, placements: JSON.stringify(['related', 'fbt', 'for_you', 'cart', 'sponsored']), status: 'active' })
      .returning('id')
      .executeTakeFirstOrThrow();
    campaignId = String(campaign.id);
    await runtime.db.insertInto('sponsored_campaign_products').values(['101', '104'].map((product_id) => ({ campaign_id: campaignId, shop: SHOP, product_id }))).execute();
    await runtime.db.insertInto('sponsored_settings').values({ shop: SHOP, relevance_threshold: 0, slots_per_block: 2 }).execute();
    app = await startProxyApp(runtime, clock);
    await queuesReady(runtime, ['ingest', 'sync']);
  });
  afterAll(async () => {
    tally.write();
    await app?.close();
    await runtime?.close();
  });

  const request = (o: { method?: string; path: string; query: string; headers?: Record<string, string>; body?: Buffer | string }) =>
    send(app.url, { method: o.method ?? 'GET', path: `/proxy/${o.path}?${o.query}`, headers: { 'x-forwarded-for': randomAddress(), ...o.headers }, body: o.body });

  it('answers a request with no valid signature 401 on every proxy path and method, and writes nothing', async () => {
    const before = await snapshotStore(runtime, SIDE_EFFECTS);
    const forged = fc.oneof(
      fc.array(pair, { maxLength: 6 }).map((pairs) => signedQuery(pairs, { nowMs: clock.now, secret: 'not-the-secret' })),
      fc.array(pair, { maxLength: 6 }).map((pairs) => signedQuery(pairs, { nowMs: clock.now - 10 * 60_000 })),
      fc.array(pair, { maxLength: 6 }).map((pairs) => queryString([['shop', SHOP], ...pairs])),
      // A signed query with a pair added afterwards, or a second `shop` put first.
      fc.array(pair, { maxLength: 6 }).map((pairs) => `${signedQuery(pairs, { nowMs: clock.now })}&placement=cart`),
      fc.array(pair, { maxLength: 6 }).map((pairs) => `shop=other.myshopify.com&${signedQuery(pairs, { nowMs: clock.now })}`),
      fc.array(fc.tuple(anyText, anyText), { maxLength: 6 }).map((pairs) => queryString(pairs)),
    );
    const path = fc.oneof(fc.constantFrom('recommendations', 'sponsored', 'events', '', 'x', '..%2F..%2Fadmin', 'recommendations/'), fc.uint8Array({ maxLength: 10 }).map((b) => percentEncode(b)));
    await fc.assert(
      fc.asyncProperty(forged, path, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD'), async (query, p, method) => {
        const res = await request({ method, path: p, query, body: method === 'POST' ? '{"events":[]}' : undefined, headers: method === 'POST' ? { 'content-type': 'application/json' } : {} });
        tally.count('app proxy: unsigned or forged', { rejected: true });
        expect(cleanAnswerProblems(res)).toEqual([]);
        expect(res.status).toBe(401);
      }),
      fuzzParameters(2),
    );
    expect(storeChanges(before, await snapshotStore(runtime, SIDE_EFFECTS))).toEqual([]);
    expect(await stillHealthy(app.url)).toBe(true);
  });

  it('answers any signed recommendations or sponsored query 200 or 400, never 5xx, and a 400 writes nothing', async () => {
    // The live campaign is served (so the fuzzed queries reach the auction, not only the lists).
    const live = await request({ path: 'sponsored', query: signedQuery([['placement', 'related'], ['product_id', '102']], { nowMs: clock.now }) });
    expect([live.status, /"sponsored":true/.test(live.text)]).toEqual([200, true]);
    let before: StoreSnapshot = await settledSnapshot(runtime, SIDE_EFFECTS);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('recommendations', 'sponsored'),
        // A placement first most of the time, so most cases get past the first check.
        fc.tuple(fc.option(fc.tuple(fc.constant<string | Uint8Array>('placement'), valueFor('placement')), { nil: undefined, freq: 8 }), fc.array(pair, { maxLength: 5 })).map(([first, rest]) => (first ? [first, ...rest] : rest)),
        fc.oneof(fc.constant(''), fc.constantFrom('1', '777', '-1', '99999999999999999999999'), anyText),
        async (path, pairs, customer) => {
          const res = await request({ path, query: signedQuery(pairs, { nowMs: clock.now, customer }) });
          // An answered request may still be writing (the holdout gate records a visitor after answering).
          const after = res.status === 200 ? await settledSnapshot(runtime, SIDE_EFFECTS) : await snapshotStore(runtime, SIDE_EFFECTS);
          tally.count(`app proxy: signed ${path} query`, { rejected: res.status !== 200 });
          expect(cleanAnswerProblems(res)).toEqual([]);
          expect([200, 400]).toContain(res.status);
          if (res.status === 400) {
            expect(JSON.parse(res.text)).toEqual({ error: 'bad_request', issues: expect.any(Array) });
            expect(storeChanges(before, after)).toEqual([]);
          }
          before = after;
        },
      ),
      fuzzParameters(3),
    );
    expect(await stillHealthy(app.url)).toBe(true);
  });

  // Found while fuzzing the beacons: a beacon refused by the rate limit (429) kept the repeat
  // markers of its sponsored clicks, so the shopper's next click on that product within the
  // repeat window was counted a repeat and left uncharged.
  it('keeps no sponsored repeat marker of a beacon the rate limit refused', async () => {
    const address = randomAddress();
    const post = (events: unknown[]) =>
      request({ method: 'POST', path: 'events', query: signedQuery([], { nowMs: clock.now }), headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0', 'x-forwarded-for': address }, body: JSON.stringify({ events }) });
    const junk = Array.from({ length: 50 }, () => ({ id: 'x' }));
    // Every event counts toward the limit (240 a minute), valid or not.
    for (let i = 0; i < 4; i++) expect((await post(junk)).status).toBe(200);
    const click = { id: randomUUID(), type: 'click', at: clock.now, token: mintToken(app.tokenKey, SHOP, { ms: clock.now }, { impressionId: randomUUID(), productId: '104', sponsored: true, placement: 'sponsored', sponsorship: { campaignId, priceMinor: 7 } }) };
    expect((await post([click, ...junk.slice(1)])).status).toBe(429);
    expect(await runtime.redis.keys(`${runtime.config.queuePrefix}:*sprepeat*104`)).toEqual([]);
  });

  it('answers any signed events beacon 200, 400 or 413, never 5xx; a refused beacon or event writes nothing but its rate counter', async () => {
    // Organic tokens, and sponsored ones whose clicks are charged to the live campaign.
    const token = (sponsored: boolean) =>
      mintToken(app.tokenKey, SHOP, { ms: clock.now }, { impressionId: randomUUID(), productId: '101', ...(sponsored ? { sponsored: true, placement: 'sponsored', sponsorship: { campaignId, priceMinor: 7 } } : {}) });
    const event = fc.record({ id: fc.uuid(), type: fc.constantFrom(...STOREFRONT_EVENT_TYPES), at: fc.constant(clock.now), sponsored: fc.boolean() }).map(({ sponsored, ...e }) => ({ ...e, token: token(sponsored) }));
    const eventLike = fc.oneof({ weight: 2, arbitrary: event.chain((e) => mutated(e)) }, { weight: 2, arbitrary: event }, { weight: 1, arbitrary: hostileValue });
    const beacon = fc.record({
      consent: fc.option(fc.oneof(fc.record({ analytics: fc.boolean() }), hostileValue), { nil: undefined }),
      visitor_id: fc.option(fc.oneof(fc.stringMatching(/^[0-9A-Za-z_-]{8,64}$/), anyText), { nil: undefined }),
      events: fc.array(eventLike, { minLength: 0, maxLength: 8 }),
    });
    const body = fc.oneof(
      { weight: 5, arbitrary: beacon.map((b) => JSON.stringify(b)) },
      { weight: 1, arbitrary: beacon.chain((b) => mutated(b)).map((b) => JSON.stringify(b) ?? '') },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
      { weight: 1, arbitrary: fc.constant(JSON.stringify({ events: [{ pad: 'x'.repeat(40_000) }] })) },
    );
    const headers = fc.record({
      'content-type': fc.oneof(fc.constantFrom('application/json', 'text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'APPLICATION/JSON'), headerValue),
      'user-agent': fc.oneof(fc.constant('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'), headerValue),
      'x-forwarded-for': fc.oneof(fc.constant(randomAddress()), fc.constantFrom('', 'unknown', '::1', '1.2.3.4, 5.6.7.8', '999.999.999.999', '[::ffff:1.2.3.4]'), headerValue),
    });
    let before: StoreSnapshot = await snapshotStore(runtime, SIDE_EFFECTS);
    await fc.assert(
      fc.asyncProperty(body, headers, fc.oneof(fc.constant(''), fc.constantFrom('1', '777'), anyText), async (text, h, customer) => {
        const res = await request({ method: 'POST', path: 'events', query: signedQuery([], { nowMs: clock.now, customer }), headers: h, body: text });
        const after = res.status === 200 ? await settledSnapshot(runtime, SIDE_EFFECTS) : await snapshotStore(runtime, SIDE_EFFECTS);
        expect(cleanAnswerProblems(res)).toEqual([]);
        expect([200, 400, 413, 429]).toContain(res.status);
        const answer = JSON.parse(res.text) as { accepted?: number; duplicates?: number };
        const refused = res.status !== 200 || (answer.accepted === 0 && answer.duplicates === 0);
        tally.count('app proxy: signed events beacon', { rejected: refused });
        if (refused) expect(storeChanges(before, after)).toEqual([]);
        before = after;
      }),
      fuzzParameters(2),
    );
    expect(await stillHealthy(app.url)).toBe(true);
  });
});
