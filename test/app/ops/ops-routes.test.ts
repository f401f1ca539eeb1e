import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { Queue } from 'bullmq';
import { createShopify, createWebApp, startWebServer } from '../../../app';
import { DbSessionStorage } from '../../../app/auth';
import { TokenCipher } from '../../../shared/crypto';
import { openQueue, QUEUE } from '../../../shared/queue';
import { servingKeys } from '../../../shared/serving';
import { TEST_SECRET } from '../../support/config';
import { testRuntime } from '../../support/runtime';
import { productPayload } from '../../support/shopify-payloads';
import { postWebhook } from '../../support/webhooks';
import { sampleValue, scrape } from '../../faults/support/prometheus-text';

const SHOP = 'ops.myshopify.com';

describe('web process: /readyz and /metrics (real Redis, PGlite)', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: { url: string; close(): Promise<void> };
  let ingestQueue: Queue;

  beforeAll(async () => {
    runtime = await testRuntime();
    server = await startWebServer(runtime, { port: 0 });
    ingestQueue = new Queue(QUEUE.ingest, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
  });
  afterAll(async () => {
    await server.close();
    await ingestQueue.close();
    await runtime.close();
  });

  it('is ready when the database and Redis answer, and says which it checked', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, checks: { database: 'ok', redis: 'ok' } });
  });

  it('counts requests per route group and status class, and queue depth moves with a delivery', async () => {
    const before = await scrape(`${server.url}/metrics`);
    const accepted = (s: typeof before) => sampleValue(s, 'shelfwise_http_request_duration_seconds_count', { route: 'webhooks', status_class: '2xx' }) ?? 0;
    const rejected = (s: typeof before) => sampleValue(s, 'shelfwise_http_request_duration_seconds_count', { route: 'webhooks', status_class: '4xx' }) ?? 0;
    const waiting = (s: typeof before) => sampleValue(s, 'shelfwise_queue_jobs', { queue: 'ingest', state: 'waiting' });
    expect(waiting(before)).toBe(0);

    const body = JSON.stringify(productPayload());
    expect((await postWebhook(server.url, TEST_SECRET, { topic: 'products/create', shop: SHOP, body })).status).toBe(200);
    expect((await postWebhook(server.url, 'forged', { topic: 'products/create', shop: SHOP, body })).status).toBe(401);
    expect((await fetch(`${server.url}/proxy/recommendations`)).status).toBeGreaterThanOrEqual(400);

    const after = await scrape(`${server.url}/metrics`);
    expect(accepted(after) - accepted(before)).toBe(1);
    expect(rejected(after) - rejected(before)).toBe(1);
    expect(sampleValue(after, 'shelfwise_http_request_duration_seconds_count', { route: 'proxy', status_class: '4xx' })).toBeGreaterThanOrEqual(1);
    expect(waiting(after)).toBe(1);
    expect(await ingestQueue.count()).toBe(1);
    // Node's own process metrics ride along under the same prefix.
    expect(sampleValue(after, 'shelfwise_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it("reports each shop's serving model age from the pointer in Redis and the version's publish time", async () => {
    const none = await scrape(`${server.url}/metrics`);
    expect(none.filter((s) => s.name === 'shelfwise_model_age_seconds')).toEqual([]);

    await runtime.db.insertInto('shops').values({ domain: SHOP, active: true }).execute();
    const published = new Date(Date.now() - 3600_000);
    const { rows } = await sql<{ id: string }>`
      insert into model_versions (shop, status, model, backend, fit_seconds, peak_rss_bytes, published_at)
      values (${SHOP}, 'published', 'blend', 'cpu', 1, 1, ${published}) returning id::text as id`.execute(runtime.db);
    await runtime.redis.set(servingKeys(runtime.config.queuePrefix, SHOP).pointer, rows[0]!.id);

    const age = sampleValue(await scrape(`${server.url}/metrics`), 'shelfwise_model_age_seconds', { shop: SHOP });
    expect(age).toBeGreaterThanOrEqual(3600);
    expect(age).toBeLessThan(3600 + 600);
  });
});

describe('web process: /metrics behind METRICS_TOKEN', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: Server;
  let url: string;
  const queues: Queue[] = [];

  beforeAll(async () => {
    runtime = await testRuntime();
    const { config, db, redis, logger } = runtime;
    const shopify = createShopify({ config, sessionStorage: new DbSessionStorage(db, new TokenCipher(config.tokenEncryptionKey)), logger });
    queues.push(openQueue(QUEUE.ingest, { connection: redis, prefix: config.queuePrefix }), openQueue(QUEUE.sync, { connection: redis, prefix: config.queuePrefix }));
    const app = createWebApp({
      shopify,
      db,
      redis,
      logger,
      queues: { ingest: queues[0]!, sync: queues[1]! },
      queuePrefix: config.queuePrefix,
      webhookDedupeTtlSeconds: 60,
      proxy: { customerIdKey: config.customerIdKey, tokenKey: Buffer.alloc(32, 1), storefront: config.storefront, now: Date.now },
      ops: { metricsToken: 'a-long-enough-metrics-token' },
    });
    server = createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await Promise.all(queues.map((q) => q.close()));
    await runtime.close();
  });

  it('refuses a scrape without the bearer token, even from loopback, and serves one with it', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
    const samples = await scrape(`${url}/metrics`, { authorization: 'Bearer a-long-enough-metrics-token' });
    expect(sampleValue(samples, 'shelfwise_queue_jobs', { queue: 'sync', state: 'failed' })).toBe(0);
    // Liveness and readiness stay open: probes carry no token.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});
