import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { startWebServer } from '../../app';
import type { Db } from '../../shared/db';
import { decodeStreamEntry, storefrontEventStreamKey } from '../../shared/tracking';
import { signProxyQuery } from '../../shared/shopify';
import { startWorkers, type RunningWorkers } from '../../worker';
import { servingVersion, switchServing, writeVersionLists, type ServingLists } from '../../worker/train';
import { enqueueTraining } from '../../worker/train/queue';
import { QUEUE } from '../../shared/queue';
import { sessionToken } from '../app/admin/admin-api-fixtures';
import { insertShop } from '../app/proxy/recommendations/storefront-fixtures';
import { TEST_SECRET } from '../support/config';
import { eventually, testRuntime } from '../support/runtime';
import { orderPayload, productPayload } from '../support/shopify-payloads';
import { BROWSER_UA } from '../support/storefront-events';
import { postWebhook } from '../support/webhooks';
import { recordQueries, tablesOf, type RecordedQuery } from './support/sql-recorder';

/**
 * Two shops driven through the whole flow on real Redis, PostgreSQL, BullMQ workers and HTTP,
 * with the SAME product, variant, order, customer, visitor, event and version ids in both: any
 * read or write that forgets the shop shows up as the other shop's data.
 */
const A = 'isolation-a.myshopify.com';
const B = 'isolation-b.myshopify.com';
const SHOPS = [A, B] as const;
type Shop = (typeof SHOPS)[number];
const label = (shop: Shop) => (shop === A ? 'Alpha' : 'Beta');
const other = (shop: Shop): Shop => (shop === A ? B : A);

/** The same ids in both catalogs; 2001 exists in B only. */
const PRODUCT_IDS = [1001, 1002, 1003, 1004, 1005, 1006];
const B_ONLY = 2001;
const CUSTOMER = 777;
const VISITOR = 'visitorShared01';

/** Different lists under the same version id and keys: a crossed read shows the other shop's order. */
const LISTS: Record<Shop, ServingLists> = {
  [A]: { trending: ['1004', '1003'], popular: ['1003'], product: { '1001': ['1002', '1003', '1004'] }, cart: { '1001': ['1002', '1003'] }, for_you: {}, history: {} },
  [B]: { trending: ['1005', '1006'], popular: ['1006'], product: { '1001': ['1005', '1006', String(B_ONLY)], [String(B_ONLY)]: ['1006'] }, cart: { '1001': ['1006', '1005'] }, for_you: {}, history: {} },
};

/**
 * Jobs that are about every shop at once, by design: the daily purge of raw events past the
 * retention (one statement by age for all shops; docs/privacy.md).
 */
const APP_WIDE_JOBS = new Set(['purge-raw-events']);

/**
 * Statements on a shop table without a shop filter, each checked by hand to be safe. Keep this
 * short: every entry needs a reason a reviewer can verify.
 */
const UNFILTERED_BY_DESIGN = new Map<string, string>([
  [
    'select * from "model_versions" where "id" = $1',
    // worker/train: the version the shop's own serving pointer names (run-training keeps it only
    // if the row's shop is the run's), or the one the run itself just inserted.
    "a version by global id; the row's shop is checked, or it is the run's own",
  ],
  ['update "model_versions" set "status" = $1, "published_at" = $2 where "id" = $3', 'the version the same run inserted for its shop'],
  // shared/sponsored/charge.ts: by the campaign id read with `where shop` and locked FOR UPDATE
  // in the same transaction (campaign ids are global).
  ['select "spent_minor" from "sponsored_daily_spend" where "campaign_id" = $1 and "day" = $2', 'campaign locked with its shop first'],
  [
    'update "sponsored_campaigns" set "spent_total_minor" = spent_total_minor + $1, "status" = case when spent_total_minor + $2 >= total_budget_minor then \'exhausted\' else status end, "updated_at" = case when spent_total_minor + $3 >= total_budget_minor then now() else updated_at end where "id" = $4',
    'campaign locked with its shop first',
  ],
]);

/**
 * Whether a statement that names both shops keeps them apart anyway: a multi-row insert whose
 * rows each state their shop (the events consumer batches the app-wide stream), or a statement
 * whose every shop parameter is used as `"shop" = $n` (per-shop groups such as
 * `("shop" = $1 and "id" in ($2)) or ("shop" = $3 and …)`).
 */
function keepsShopsApart(query: RecordedQuery): boolean {
  if (/^\s*insert into "?\w+"? \("shop",/i.test(query.sql)) return true;
  const shopParameters = query.parameters.flatMap((p, i) => (typeof p === 'string' && SHOPS.includes(p as Shop) ? [i + 1] : []));
  return shopParameters.length > 0 && shopParameters.every((n) => new RegExp(`"shop" = \\$${n}(?!\\d)`).test(query.sql)) && SHOPS.every((shop) => !query.sql.includes(shop));
}

interface Card {
  id: string;
  title: string;
  token: string;
  sponsored: boolean;
  campaign_id?: string;
}
interface RecommendationsAnswer {
  impression_id: string;
  products: Card[];
}

describe.each(['postgres', 'pglite'] as const)('tenant isolation: two shops through webhooks, worker, storefront, events, attribution and admin (%s, Redis)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let queries: RecordedQuery[];
  /** The database without the recorder: the test's own reads are not the processes' statements. */
  let plain: Db;
  let server: Awaited<ReturnType<typeof startWebServer>>;
  let workers: RunningWorkers;
  const campaigns: Partial<Record<Shop, string>> = {};
  const answers: Partial<Record<Shop, RecommendationsAnswer>> = {};
  /** A sponsored card of each shop's own campaign, as its storefront served it. */
  const sponsoredCards: Partial<Record<Shop, Card>> = {};

  const prefix = () => runtime.config.queuePrefix;
  const proxy = async (shop: Shop, path: string, params: [string, string][], init: RequestInit = {}, customer = '') => {
    const query = signProxyQuery([['shop', shop], ['logged_in_customer_id', customer], ['path_prefix', '/apps/shelfwise'], ...params], TEST_SECRET, Math.floor(Date.now() / 1000));
    const res = await fetch(`${server.url}/proxy/${path}?${query}`, { ...init, headers: { 'user-agent': BROWSER_UA, ...(init.headers as Record<string, string>) } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const recommendations = async (shop: Shop, params: [string, string][], customer = '') => {
    const res = await proxy(shop, 'recommendations', params, {}, customer);
    expect(res.status).toBe(200);
    return res.body as unknown as RecommendationsAnswer;
  };
  const admin = async (shop: Shop, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sessionToken(shop)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null) as Record<string, unknown> | null };
  };
  const events = (shop: Shop, body: unknown) => proxy(shop, 'events', [], { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const rows = (table: 'products' | 'orders' | 'order_attributions' | 'storefront_events' | 'storefront_event_receipts' | 'sponsored_campaigns', shop: Shop) =>
    plain.selectFrom(table).selectAll().where('shop', '=', shop).execute();

  beforeAll(async () => {
    const base = await testRuntime({ backend, config: { TRAIN_MIN_NEW_ORDERS: '1000' } });
    const recorded = recordQueries(base.db);
    queries = recorded.queries;
    runtime = { ...base, db: recorded.db };
    plain = base.db;
    for (const shop of SHOPS) await insertShop(plain, shop, 'EUR');
    server = await startWebServer(runtime, { port: 0, storefrontRedis: runtime.redis });
    workers = await startWorkers(runtime, { concurrency: 4 });
  }, 120_000);
  afterAll(async () => {
    await workers?.close();
    await server?.close();
    await runtime?.close();
  });

  it('webhooks → ingest: each shop stores its own catalog and orders under the same ids', async () => {
    for (const shop of SHOPS) {
      for (const id of PRODUCT_IDS) {
        const body = JSON.stringify(productPayload({ id, title: `${label(shop)} product ${id}`, vendor: 'Acme', handle: `p-${id}` }));
        expect((await postWebhook(server.url, TEST_SECRET, { topic: 'products/create', shop, body, webhookId: `p-${id}` })).status).toBe(200);
      }
      for (const orderId of [5001, 5002, 5003]) {
        const order = orderPayload({ id: orderId, currency: 'EUR', presentment_currency: 'EUR', customer: { id: CUSTOMER } });
        (order.line_items[0] as { properties: unknown[] }).properties = [];
        expect((await postWebhook(server.url, TEST_SECRET, { topic: 'orders/create', shop, body: JSON.stringify(order), webhookId: `o-${orderId}` })).status).toBe(200);
      }
    }
    const onlyB = JSON.stringify(productPayload({ id: B_ONLY, title: `Beta product ${B_ONLY}`, vendor: 'Acme', handle: `p-${B_ONLY}` }));
    expect((await postWebhook(server.url, TEST_SECRET, { topic: 'products/create', shop: B, body: onlyB, webhookId: `p-${B_ONLY}` })).status).toBe(200);

    // The same webhook ids in both shops were both enqueued: deduplication is per shop.
    await eventually(async () => ((await rows('orders', A)).length === 3 && (await rows('orders', B)).length === 3 && (await rows('products', B)).length === 7 ? true : undefined), 60_000);
    for (const shop of SHOPS) {
      const products = await rows('products', shop);
      expect(products.every((p) => p.title.startsWith(label(shop)))).toBe(true);
    }
    expect((await rows('products', A)).map((p) => p.id).sort()).toEqual(PRODUCT_IDS.map(String));
  }, 90_000);

  it('published lists → storefront: each shop is answered from its own lists and catalog only, whatever ids the request carries', async () => {
    for (const shop of SHOPS) {
      await writeVersionLists({ redis: runtime.redis, prefix: prefix(), shop, version: '1', lists: LISTS[shop], now: Date.now() });
      await switchServing({ redis: runtime.redis, prefix: prefix(), shop, version: '1' });
    }
    for (const shop of SHOPS) {
      // Three cards: exactly the shop's list, no fill from fallbacks that could hide a crossed read.
      const answer = await recommendations(shop, [['placement', 'related'], ['product_id', '1001'], ['limit', '3']]);
      answers[shop] = answer;
      expect(answer.products.map((p) => p.id)).toEqual(LISTS[shop].product['1001']);
      expect(answer.products.every((p) => p.title.startsWith(label(shop)))).toBe(true);
    }
    // The same visitor id in both storefronts: each shop's holdout gate decides and records it apart.
    for (const shop of SHOPS) {
      const answer = await recommendations(shop, [['placement', 'for_you'], ['visitor', VISITOR]]);
      expect(answer.products.every((p) => p.title.startsWith(label(shop)))).toBe(true);
    }
    // A's storefront asked about B's products (B's only product, in the cart, recently viewed): nothing of B.
    for (const params of [
      [['placement', 'related'], ['product_id', String(B_ONLY)]],
      [['placement', 'fbt'], ['product_id', String(B_ONLY)]],
      [['placement', 'cart'], ['cart', `${B_ONLY},1001`]],
      [['placement', 'for_you'], ['recent', `${B_ONLY}`]],
    ] as Array<[string, string][]>) {
      const answer = await recommendations(A, params, String(CUSTOMER));
      expect([params, answer.products.filter((p) => !p.title.startsWith('Alpha') || p.id === String(B_ONLY))]).toEqual([params, []]);
    }
  });

  it("admin: each shop's campaigns; A's token never reads or changes B's (404, nothing changed)", async () => {
    for (const shop of SHOPS) {
      const created = await admin(shop, 'POST', '/api/campaigns', {
        name: `${label(shop)} campaign`,
        vendor: 'Acme',
        product_ids: shop === A ? ['1003'] : ['1006'],
        max_cpc: '0.50',
        daily_budget: '10.00',
        total_budget: '100.00',
        status: 'active',
        placements: ['related', 'sponsored'],
      });
      expect(created.status).toBe(201);
      campaigns[shop] = (created.body!.campaign as { id: string }).id;
    }
    const theirs = campaigns[B]!;
    const before = await rows('sponsored_campaigns', B);
    const listed = await admin(A, 'GET', '/api/campaigns');
    expect((listed.body!.campaigns as Array<{ id: string }>).map((c) => c.id)).toEqual([campaigns[A]]);
    for (const [method, path, body] of [
      ['GET', `/api/campaigns/${theirs}`],
      ['PATCH', `/api/campaigns/${theirs}`, { status: 'paused' }],
      ['PATCH', `/api/campaigns/${theirs}`, { name: 'taken over', max_cpc: '9.00' }],
      ['GET', `/api/reports/campaigns/${theirs}`],
    ] as Array<[string, string, unknown?]>) {
      const res = await admin(A, method, path, body);
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(res.text).not.toContain('Beta');
    }
    // Query parameters and body fields naming B change nothing either.
    expect((await admin(A, 'GET', `/api/campaigns?shop=${B}`)).body!.campaigns).toHaveLength(1);
    expect((await admin(A, 'POST', '/api/campaigns', { name: 'x', vendor: 'Acme', product_ids: ['1006'], max_cpc: '0.5', daily_budget: '10.00', total_budget: '100.00', placements: ['related'], shop: B })).status).toBe(422);
    expect(await rows('sponsored_campaigns', B)).toEqual(before);
    expect(await rows('sponsored_campaigns', A)).toHaveLength(1);
  });

  it("sponsored slots: A's storefront never serves B's campaign, even for B's promoted product", async () => {
    const served = new Set<string>();
    for (const shop of SHOPS) {
      for (const params of [
        [['placement', 'related'], ['product_id', '1001'], ['sponsored', '2']],
        [['placement', 'related'], ['product_id', '1005'], ['sponsored', '2']],
      ] as Array<[string, string][]>) {
        const res = await proxy(shop, 'sponsored', params);
        expect(res.status).toBe(200);
        for (const card of (res.body as unknown as RecommendationsAnswer).products) {
          if (card.campaign_id) served.add(`${shop}:${card.campaign_id}`);
          if (card.campaign_id && !sponsoredCards[shop]) sponsoredCards[shop] = card;
          expect([shop, card.campaign_id ?? null, card.title.startsWith(label(shop))]).toEqual([shop, card.campaign_id === undefined ? null : campaigns[shop], true]);
        }
      }
    }
    expect(served.has(`${A}:${campaigns[B]}`)).toBe(false);
    // The slots do serve: each shop's own campaign was shown in its own storefront.
    expect([...served].sort()).toEqual(SHOPS.map((shop) => `${shop}:${campaigns[shop]}`).sort());
  });

  it("events: B's tokens in A's storefront are rejected; the same event ids count once per shop; nothing credited to B", async () => {
    const tokenOf = (shop: Shop) => answers[shop]!.products[0]!.token;
    const ids = ['evt-shared-0001', 'evt-shared-0002'];
    const at = Date.now() - 1000;
    const crossed = await events(A, { consent: { analytics: true }, visitor_id: VISITOR, events: [{ id: 'evt-crossed-01', type: 'click', token: tokenOf(B), at }] });
    expect(crossed.status).toBe(200);
    expect(crossed.body).toMatchObject({ accepted: 0, rejected: [{ index: 0, id: 'evt-crossed-01', reason: expect.stringMatching(/^token_/) }] });
    for (const shop of SHOPS) {
      const own = await events(shop, {
        consent: { analytics: true },
        visitor_id: VISITOR,
        events: [
          { id: ids[0], type: 'impression', token: tokenOf(shop), at },
          { id: ids[1], type: 'click', token: tokenOf(shop), at },
        ],
      });
      expect([shop, own.body]).toEqual([shop, { accepted: 2, duplicates: 0, rejected: [] }]);
    }
    // Every stream entry names the shop whose storefront sent it.
    const entries = await runtime.redis.xrange(storefrontEventStreamKey(prefix()), '-', '+');
    for (const [, fields] of entries) {
      const entry = decodeStreamEntry(fields);
      expect(entry.ok && SHOPS.includes(entry.entry.shop as Shop)).toBe(true);
    }
    // Sponsored clicks: B's sponsored token in A's storefront is refused; each shop's own is charged to its own campaign.
    const crossedSponsored = await events(A, { consent: { analytics: true }, visitor_id: VISITOR, events: [{ id: 'evt-crossed-02', type: 'click', token: sponsoredCards[B]!.token, at }] });
    expect(crossedSponsored.body).toMatchObject({ accepted: 0, rejected: [{ index: 0, reason: expect.stringMatching(/^token_/) }] });
    for (const shop of SHOPS) {
      const click = await events(shop, { consent: { analytics: true }, visitor_id: VISITOR, events: [{ id: 'evt-sponsored-01', type: 'click', token: sponsoredCards[shop]!.token, at }] });
      expect([shop, click.body]).toEqual([shop, { accepted: 1, duplicates: 0, rejected: [] }]);
    }
    await eventually(async () => ((await rows('storefront_event_receipts', A)).length === 3 && (await rows('storefront_event_receipts', B)).length === 3 ? true : undefined), 30_000);
    const ledger = await eventually(async () => {
      const found = await plain.selectFrom('sponsored_ledger').select(['shop', 'campaign_id', 'event_id', 'status']).orderBy('shop').execute();
      return found.length === 2 ? found : undefined;
    }, 30_000);
    expect(ledger.map((l) => [l.shop, String(l.campaign_id), l.event_id])).toEqual(SHOPS.map((shop) => [shop, campaigns[shop], 'evt-sponsored-01']));
    for (const shop of SHOPS) {
      const stored = await rows('storefront_events', shop);
      expect(stored.map((e) => e.id).sort()).toEqual([...ids, 'evt-sponsored-01'].sort());
      expect(stored.filter((e) => e.id !== 'evt-sponsored-01').every((e) => e.token === tokenOf(shop) && e.impression_id === answers[shop]!.impression_id)).toBe(true);
      expect(stored.find((e) => e.id === 'evt-sponsored-01')!.token).toBe(sponsoredCards[shop]!.token);
    }
  }, 60_000);

  it("attribution: an order of A carrying B's token credits nobody; A's own token credits A only", async () => {
    const createdAt = new Date(Date.now() + 60_000).toISOString();
    const orderWith = (id: number, productId: string, token: string) => {
      const order = orderPayload({ id, currency: 'EUR', presentment_currency: 'EUR', created_at: createdAt, updated_at: createdAt, customer: { id: CUSTOMER } });
      const line = order.line_items[0] as { product_id: number; properties: unknown[] };
      line.product_id = Number(productId);
      line.properties = [{ name: '_shelfwise', value: token }];
      return JSON.stringify(order);
    };
    const bCard = answers[B]!.products[0]!;
    const aCard = answers[A]!.products[0]!;
    // Same product id in both shops, B's token: a forged or copied cart property.
    expect((await postWebhook(server.url, TEST_SECRET, { topic: 'orders/create', shop: A, body: orderWith(6001, bCard.id, bCard.token) })).status).toBe(200);
    expect((await postWebhook(server.url, TEST_SECRET, { topic: 'orders/create', shop: A, body: orderWith(6002, aCard.id, aCard.token) })).status).toBe(200);
    const credited = await eventually(async () => {
      const found = await rows('order_attributions', A);
      return found.some((r) => r.order_id === '6002') && (await rows('orders', A)).some((o) => o.id === '6001') ? found : undefined;
    }, 30_000);
    expect(credited.map((r) => [r.order_id, r.impression_id])).toEqual([['6002', answers[A]!.impression_id]]);
    expect(await rows('order_attributions', B)).toEqual([]);
  }, 60_000);

  it("reports: A's figures hold A's rows only, B's own answer B's", async () => {
    for (const shop of SHOPS) {
      const overview = await admin(shop, 'GET', '/api/reports/campaigns');
      expect(overview.status).toBe(200);
      expect(overview.text).not.toContain(label(other(shop)));
      const ids = JSON.stringify(overview.body).match(/"campaign_id":"?(\d+)/g) ?? [];
      expect(ids.every((m) => m.endsWith(campaigns[shop]!))).toBe(true);
      // The same vendor name in both shops: the statement holds the shop's own charge only.
      const month = new Date().toISOString().slice(0, 7);
      const statement = await admin(shop, 'GET', `/api/reports/statements?vendor=Acme&month=${month}`);
      expect(statement.status).toBe(200);
      expect(statement.text).toContain(`${label(shop)} campaign`);
      expect(statement.text).not.toContain(`${label(other(shop))} campaign`);
    }
  });

  it("training through the worker's queue: each shop's run reads its own store and publishes under its own pointer", async () => {
    const train = new Queue(QUEUE.train, { connection: runtime.redis, prefix: prefix() });
    try {
      for (const shop of SHOPS) await enqueueTraining({ queue: train, shop, reason: 'manual', force: true });
      const versions = await eventually(async () => {
        const found = (
          await sql<{ id: string; shop: string; status: string; vocabulary: unknown }>`select id::text as id, shop, status, vocabulary from model_versions where shop in (${A}, ${B})`.execute(plain)
        ).rows;
        return found.length === 2 && (await train.getJobCounts('active', 'waiting')).active === 0 ? found : undefined;
      }, 90_000);
      for (const shop of SHOPS) {
        const own = versions.find((v) => v.shop === shop)!;
        // Too little data to fit: the trending fallback of the shop's own orders is published.
        expect(own.status).toBe('not_enough_data');
        expect(await servingVersion({ redis: runtime.redis, prefix: prefix(), shop })).toBe(String(own.id));
      }
      // The products each shop's orders bought: A's later orders (6001, 6002) bought more than
      // 1001; B's orders only 1001. B's snapshot reading A's orders would show them here.
      const vocabulary = (shop: Shop) => {
        const raw = versions.find((v) => v.shop === shop)!.vocabulary;
        return [...((typeof raw === 'string' ? JSON.parse(raw) : raw) as string[])].sort();
      };
      expect(vocabulary(B)).toEqual(['1001']);
      expect(vocabulary(A)).toEqual(expect.arrayContaining(['1001', answers[A]!.products[0]!.id]));
      expect(vocabulary(A).length).toBeGreaterThan(1);
    } finally {
      await train.close();
    }
  }, 120_000);

  it('Redis: every key written names one shop, or is app-wide bookkeeping whose entries each name their shop', async () => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await runtime.redis.scan(cursor, 'MATCH', `${prefix()}:*`, 'COUNT', 1000);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    expect(keys.length).toBeGreaterThan(20);
    const queueNames = new Set(keys.filter((k) => k.endsWith(':meta')).map((k) => k.slice(prefix().length + 1, -':meta'.length)));
    const unscoped: string[] = [];
    for (const key of keys) {
      const rest = key.slice(prefix().length + 1);
      const named = SHOPS.filter((shop) => rest.includes(shop));
      if (named.length === 1) continue;
      expect([key, named.length]).not.toEqual([key, 2]);
      // App-wide structures: BullMQ's per-queue keys (jobs are checked below), the events stream and
      // its consumer bookkeeping (entries checked above), per-address counters of requests before
      // any shop is known.
      const queue = rest.split(':')[0]!;
      if (queueNames.has(queue)) continue;
      if (/^\{storefront-events\}:(stream|dead-letter)$/.test(rest)) continue;
      if (/^rl:[a-z-]+:a-[A-Za-z0-9_-]+:\d+$/.test(rest)) continue;
      unscoped.push(key);
    }
    expect(unscoped).toEqual([]);
    // Every BullMQ job of every queue names its shop in its data.
    let jobs = 0;
    for (const name of queueNames) {
      const queue = new Queue(name, { connection: runtime.redis, prefix: prefix() });
      try {
        for (const job of await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized'])) {
          if (APP_WIDE_JOBS.has(job.name)) continue;
          jobs++;
          expect([name, job.id, SHOPS.includes((job.data as { shop?: string }).shop as Shop)]).toEqual([name, job.id, true]);
        }
      } finally {
        await queue.close();
      }
    }
    expect(jobs).toBeGreaterThanOrEqual(20);
  });

  it('SQL: no statement of the web process or the worker names both shops, and every one on a shop table filters by shop', async () => {
    const shopTables = new Set(
      (
        await sql<{ table_name: string }>`select table_name from information_schema.columns where column_name = 'shop' and table_schema = current_schema()`.execute(plain)
      ).rows.map((r) => r.table_name),
    );
    expect(shopTables.has('orders') && shopTables.has('storefront_events')).toBe(true);
    const statements = queries.filter((q) => !/information_schema|pg_advisory|kysely_migration/i.test(q.sql));
    expect(statements.length).toBeGreaterThan(50);
    // The recorder saw both processes: the worker's writes and the web process's reads.
    for (const table of ['orders', 'products', 'storefront_events', 'order_attributions', 'sponsored_campaigns']) {
      expect([table, statements.some((q) => tablesOf(q.sql).includes(table) && /^\s*insert/i.test(q.sql))]).toEqual([table, true]);
    }
    const mixed = statements.filter((q) => SHOPS.every((shop) => q.parameters.some((p) => typeof p === 'string' && p.includes(shop)) || q.sql.includes(shop)) && !keepsShopsApart(q));
    expect(mixed.map((q) => q.sql)).toEqual([]);
    const unfiltered = statements.filter((q) => tablesOf(q.sql).some((t) => shopTables.has(t)) && !/"?shop"?\s*(=|in\b|,|\))|\bshop\b/i.test(q.sql));
    expect([...new Set(unfiltered.map((q) => q.sql))].filter((text) => !UNFILTERED_BY_DESIGN.has(text))).toEqual([]);
  });
});
