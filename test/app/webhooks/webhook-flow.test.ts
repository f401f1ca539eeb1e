import { Queue } from 'bullmq';
import { startWebServer } from '../../../app';
import { QUEUE } from '../../../shared/queue';
import { recommendationTokenKey, signRecommendationToken } from '../../../shared/tracking';
import { startWorkers, type RunningWorkers } from '../../../worker';
import { TEST_SECRET } from '../../support/config';
import { eventually, testRuntime } from '../../support/runtime';
import { orderPayload, productPayload } from '../../support/shopify-payloads';
import { postWebhook, signedHeaders } from '../../support/webhooks';

const SHOP = 'flow.myshopify.com';

describe('webhook delivery: HTTP → BullMQ → ingest worker → store (real Redis, PostgreSQL)', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: { url: string; close(): Promise<void> };
  let ingestQueue: Queue;
  let workers: RunningWorkers | undefined;

  beforeEach(async () => {
    runtime = await testRuntime({ backend: 'postgres' });
    server = await startWebServer(runtime, { port: 0 });
    ingestQueue = new Queue(QUEUE.ingest, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
  });
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
    await server.close();
    await ingestQueue.close();
    await runtime.close();
  });

  const counts = () => ingestQueue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');

  it('rejects a forged delivery with 401 and enqueues nothing, compliance topics included', async () => {
    for (const topic of ['orders/create', 'customers/redact', 'shop/redact', 'customers/data_request']) {
      const delivery = { topic, shop: SHOP, body: JSON.stringify(orderPayload()) };
      const forged = await postWebhook(server.url, 'not-the-secret', delivery);
      expect(forged.status).toBe(401);
      const tampered = signedHeaders(TEST_SECRET, delivery);
      const res = await fetch(`${server.url}/webhooks`, { method: 'POST', headers: tampered, body: delivery.body + ' ' });
      expect(res.status).toBe(401);
      const unsigned = await fetch(`${server.url}/webhooks`, { method: 'POST', body: delivery.body, headers: { 'x-shopify-topic': topic } });
      expect(unsigned.status).toBe(401);
    }
    expect(await ingestQueue.count()).toBe(0);
    expect(await runtime.redis.keys(`${runtime.config.queuePrefix}:{*`)).toEqual([]);
  });

  it('enqueues a delivery once, however often Shopify retries it or repeats the event', async () => {
    const body = JSON.stringify(orderPayload());
    const first = await postWebhook(server.url, TEST_SECRET, { topic: 'orders/create', shop: SHOP, body, webhookId: 'w-1', eventId: 'e-1' });
    const retry = await postWebhook(server.url, TEST_SECRET, { topic: 'orders/create', shop: SHOP, body, webhookId: 'w-1', eventId: 'e-1' });
    const sameEvent = await postWebhook(server.url, TEST_SECRET, { topic: 'orders/create', shop: SHOP, body, webhookId: 'w-2', eventId: 'e-1' });
    const otherTopic = await postWebhook(server.url, TEST_SECRET, { topic: 'orders/paid', shop: SHOP, body, webhookId: 'w-3', eventId: 'e-1' });
    expect([first.status, retry.status, sameEvent.status, otherTopic.status]).toEqual([200, 200, 200, 200]);
    expect(first.body).toEqual({ ok: true });
    expect(retry.body).toEqual({ ok: true, duplicate: true });
    expect(sameEvent.body).toEqual({ ok: true, duplicate: true });
    expect(otherTopic.body).toEqual({ ok: true });
    const jobs = await ingestQueue.getJobs(['waiting']);
    expect(jobs.map((j) => j.name).sort()).toEqual(['orders/create', 'orders/paid']);
    expect(jobs.find((j) => j.name === 'orders/create')?.data.body).toBe(body);
    // Once queued, the claim is kept for the configured TTL (a week), not the one-minute hold.
    const key = `${runtime.config.queuePrefix}:{${SHOP}}:wh:w-1`;
    const ttl = await eventually(async () => {
      const seconds = await runtime.redis.ttl(key);
      return seconds > 60 ? seconds : undefined;
    });
    expect(ttl).toBeGreaterThan(runtime.config.webhookDedupeTtlSeconds - 60);
  });

  it('stores good deliveries and fails a malformed one for good, visibly, without stopping', async () => {
    workers = await startWorkers(runtime, { concurrency: 4 });
    await postWebhook(server.url, TEST_SECRET, { topic: 'orders/create', shop: SHOP, body: '{"id": 1, "line_items": "nope"}', webhookId: 'bad-1' });
    await postWebhook(server.url, TEST_SECRET, { topic: 'products/create', shop: SHOP, body: JSON.stringify(productPayload()) });
    await postWebhook(server.url, TEST_SECRET, { topic: 'orders/create', shop: SHOP, body: JSON.stringify(orderPayload()) });

    const failed = await eventually(async () => {
      const jobs = await ingestQueue.getFailed();
      return jobs.length ? jobs : undefined;
    });
    expect(failed).toHaveLength(1);
    expect(failed[0]?.failedReason).toMatch(/^malformed orders\/create payload: /);
    expect(failed[0]?.attemptsMade).toBe(1);
    await eventually(async () => ((await counts()).completed === 2 ? true : undefined));
    expect(await runtime.db.selectFrom('orders').select('id').execute()).toEqual([{ id: '5001' }]);
    expect(await runtime.db.selectFrom('products').select('id').execute()).toEqual([{ id: '1001' }]);
  });

  it('attributes an order whose line carries a recommendation token, as the running worker stores it', async () => {
    workers = await startWorkers(runtime, { concurrency: 2 });
    const token = signRecommendationToken(recommendationTokenKey(runtime.config.tokenEncryptionKey), SHOP, {
      impressionId: 'imp-flow-1',
      placement: 'fbt',
      productId: '1001',
      position: 0,
      modelVersion: '3',
      sponsored: false,
      // An hour before the order (2024-02-01T10:00Z): inside the 7-day window.
      issuedAt: Date.UTC(2024, 1, 1, 9) / 1000,
    });
    const order = orderPayload();
    order.line_items[0]!.properties = [{ name: '_shelfwise', value: token }];
    await postWebhook(server.url, TEST_SECRET, { topic: 'orders/create', shop: SHOP, body: JSON.stringify(order) });
    const credited = await eventually(async () => {
      const rows = await runtime.db.selectFrom('order_attributions').select(['order_id', 'source', 'impression_id', 'net_minor']).where('shop', '=', SHOP).execute();
      return rows.length ? rows : undefined;
    });
    // 3 × 6.95, no discount: 20.85.
    expect(credited).toEqual([{ order_id: '5001', source: 'property', impression_id: 'imp-flow-1', net_minor: 2085 }]);
  });

  it('answers 200 without enqueueing for a topic we do not subscribe to', async () => {
    const res = await postWebhook(server.url, TEST_SECRET, { topic: 'carts/update', shop: SHOP, body: '{}' });
    expect(res).toEqual({ status: 200, body: { ok: true, ignored: true } });
    expect(await ingestQueue.count()).toBe(0);
  });
});
