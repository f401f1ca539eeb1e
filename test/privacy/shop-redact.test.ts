import type { Queue } from 'bullmq';
import { sql } from 'kysely';
import { TokenCipher } from '../../shared/crypto';
import { openQueue, QUEUE } from '../../shared/queue';
import { startWorkers, type RunningWorkers } from '../../worker';
import { scheduleReconcile } from '../../worker/sync/schedule';
import { runTraining } from '../../worker/train';
import { enqueueTraining, scheduleTraining } from '../../worker/train/queue';
import { TEST_SECRET } from '../support/config';
import { eventually, testRuntime } from '../support/runtime';
import { orderPayload, productPayload } from '../support/shopify-payloads';
import { eventId, mintToken, postEvents, startEventsApp, type TestClock } from '../support/storefront-events';
import { postWebhook } from '../support/webhooks';
import { writeSmallStore } from '../worker/train/small-store';
import { findInDatabase, findTraces, redisContents } from './support/find-traces';

type Runtime = Awaited<ReturnType<typeof testRuntime>>;

const ALPHA = 'alpha-shop.myshopify.com';
const BETA = 'beta-shop.myshopify.com';

/** Everything of a shop in both stores, as text: rows per table (sorted) and Redis keys with values. */
async function storesOf(rt: Runtime, shop: string) {
  const traces = await findInDatabase(rt.db, [shop]);
  const rows: Record<string, string[]> = {};
  for (const { where } of traces) {
    const table = where.split('.')[0]!;
    const { rows: found } = await sql<{ t: string }>`select t::text as t from ${sql.table(table)} t where strpos(t::text, ${shop}) > 0`.execute(rt.db);
    rows[table] = found.map((r) => r.t).sort();
  }
  // Keys of the shop whole; keys shared by every shop (queue bookkeeping, streams) only their elements naming it.
  const keys: Record<string, unknown> = {};
  for (const [key, value] of await redisContents(rt.redis, rt.config.queuePrefix)) {
    if (key.includes(shop)) keys[key] = value;
    else if (value.includes(shop)) keys[key] = elementsNaming(JSON.parse(value), shop);
  }
  return { rows, keys };
}

function elementsNaming(value: unknown, shop: string): unknown {
  const names = (v: unknown) => JSON.stringify(v).includes(shop);
  if (Array.isArray(value)) return value.filter(names);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(names));
  return value;
}

describe('shop/redact after ingest, events, training and scheduling (PostgreSQL, real Redis, running workers)', () => {
  let rt: Runtime;
  let app: Awaited<ReturnType<typeof startEventsApp>>;
  let workers: RunningWorkers;
  let queues: Queue[];
  const clock: TestClock = { ms: Date.now() };

  beforeAll(async () => {
    rt = await testRuntime({ backend: 'postgres', config: { TRAIN_MIN_NEW_ORDERS: '100000' } });
    app = await startEventsApp(rt, clock);
    workers = await startWorkers(rt, { concurrency: 4 });
    queues = [QUEUE.ingest, QUEUE.sync, QUEUE.train].map((name) => openQueue(name, { connection: rt.redis, prefix: rt.config.queuePrefix }));
  });
  afterAll(async () => {
    await workers.close();
    await Promise.all(queues.map((q) => q.close()));
    await app.close();
    await rt.close();
  });

  /** A shop driven through every path that writes: webhooks, a failed delivery, events, training, schedules. */
  async function driveShop(shop: string) {
    await rt.db.insertInto('shops').values({ domain: shop, active: false, currency: 'GBP', uninstalled_at: new Date() }).execute();
    const sealed = TokenCipher.fromConfig(rt.config).seal(`shpat_${shop}`);
    await rt.db.insertInto('shopify_sessions').values({ id: `offline_${shop}`, shop, state: 's', is_online: false, scope: 'read_orders', expires: null, access_token_enc: sealed, online_access_info: null }).execute();
    await writeSmallStore(rt.db, { shop, customers: 24, ordersPerCustomer: 4 });
    const send = (topic: string, body: unknown, webhookId: string) => postWebhook(app.url, TEST_SECRET, { topic, shop, body: typeof body === 'string' ? body : JSON.stringify(body), webhookId });
    expect((await send('products/create', productPayload(), `${shop}-p1`)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await send('orders/create', orderPayload({ id: 6001 + i, customer: { id: 4100 + i } }), `${shop}-o${i}`)).status).toBe(200);
    expect((await send('orders/create', '{"id": 1, "line_items": "nope"}', `${shop}-bad`)).status).toBe(200);
    await eventually(async () => ((await rt.db.selectFrom('orders').select('id').where('shop', '=', shop).where('id', '=', '6003').execute()).length ? true : undefined));
    const token = mintToken(app.tokenKey, shop, clock, { productId: '1001' });
    const res = await postEvents(app.url, { shop, clock, loggedInCustomerId: '4100', body: { consent: { analytics: true }, visitor_id: `visitor-${shop.slice(0, 4)}-01`, events: [{ id: eventId(), type: 'click', token, at: clock.ms }] } });
    expect(res.body).toMatchObject({ accepted: 1 });
    await eventually(async () => ((await rt.db.selectFrom('storefront_events').select('id').where('shop', '=', shop).execute()).length ? true : undefined));
    const trained = await runTraining({ db: rt.db, redis: rt.redis, prefix: rt.config.queuePrefix, shop, logger: rt.logger });
    expect(trained.outcome).not.toBe('unchanged');
    const [, sync, train] = queues as [Queue, Queue, Queue];
    await scheduleTraining({ queue: train, shop, pattern: rt.config.train.cron });
    await scheduleReconcile({ queue: sync, shop, pattern: rt.config.reconcileCron });
    await enqueueTraining({ queue: train, shop, reason: 'orders', delayMs: 3_600_000 });
    await rt.redis.set(`${rt.config.queuePrefix}:holdout:${shop}:2026-11-28:someVisitorKey`, 'treatment', 'EX', 600);
  }

  it('leaves nothing of the shop in any table or Redis key or value, and the other shop exactly as it was', async () => {
    await driveShop(ALPHA);
    await driveShop(BETA);
    const stores = { db: rt.db, redis: rt.redis, prefix: rt.config.queuePrefix };

    const before = await findTraces(stores, [ALPHA]);
    const tables = new Set(before.filter((t) => t.store === 'database').map((t) => t.where));
    for (const table of ['shops', 'shopify_sessions', 'orders', 'order_line_items', 'products', 'storefront_events', 'storefront_event_counts', 'model_versions', 'training_status', 'order_revenue']) expect(tables).toContain(table);
    const keys = before.filter((t) => t.store === 'redis').map((t) => t.where.slice(rt.config.queuePrefix.length)).join('\n');
    for (const key of [`:{${ALPHA}}:reco:serving`, `:{${ALPHA}}:wh:`, ':train:repeat:', ':sync:repeat:', ':ingest:events', `:ingest:wh--${ALPHA}--`, `:{storefront-events}:seen:${ALPHA}:`, `:holdout:${ALPHA}:`]) expect(keys).toContain(key);
    const beta = await storesOf(rt, BETA);
    expect(Object.keys(beta.keys).length).toBeGreaterThan(10);

    // Shopify's delivery, through the web process and the running worker.
    const redact = await postWebhook(app.url, TEST_SECRET, { topic: 'shop/redact', shop: ALPHA, body: JSON.stringify({ shop_id: 1, shop_domain: ALPHA }), webhookId: 'redact-1' });
    expect(redact.status).toBe(200);
    const jobId = `wh--${ALPHA}--redact-1`;
    expect(await eventually(async () => ((await queues[0]!.getJob(jobId))?.finishedOn ? (await queues[0]!.getJob(jobId))!.getState() : undefined), 60_000)).toBe('completed');

    expect(await findInDatabase(rt.db, [ALPHA])).toEqual([]);
    // In Redis, only the redact delivery's own job record remains (it goes with the completed-job retention).
    const left = await storesOf(rt, ALPHA);
    for (const [key, value] of Object.entries(left.keys)) {
      if (key.includes('redact-1')) continue;
      expect({ key, elements: (value as unknown[]).filter((e) => !JSON.stringify(e).includes('redact-1')) }).toEqual({ key, elements: [] });
    }
    await (await queues[0]!.getJob(jobId))!.remove();
    const traces = await findTraces(stores, [ALPHA]);
    expect(traces.filter((t) => !t.where.endsWith(':ingest:events'))).toEqual([]);
    expect(await storesOf(rt, BETA)).toEqual(beta);
    expect(await queues[2]!.getJobSchedulers()).toEqual([expect.objectContaining({ key: `train-schedule--${BETA}` })]);
  }, 180_000);
});
