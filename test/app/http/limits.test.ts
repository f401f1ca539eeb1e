import { request } from 'node:http';
import { Queue } from 'bullmq';
import { QUEUE } from '../../../shared/queue';
import { signProxyQuery } from '../../../shared/shopify';
import { TEST_SECRET } from '../../support/config';
import { testRuntime } from '../../support/runtime';
import { orderPayload } from '../../support/shopify-payloads';
import { postWebhook, signedHeaders } from '../../support/webhooks';
import { sessionToken } from '../admin/admin-api-fixtures';
import { insertShop } from '../proxy/recommendations/storefront-fixtures';
import { capturingLogger, startLimitedServer } from './support/web-server';

const SHOP = 'limits-a.myshopify.com';
const OTHER = 'limits-b.myshopify.com';

/** A storefront read signed as Shopify's app proxy signs it. */
function proxyUrl(base: string, shop: string, path: string, params: [string, string][] = []): string {
  const query = signProxyQuery([['shop', shop], ['logged_in_customer_id', ''], ['path_prefix', '/apps/shelfwise'], ...params], TEST_SECRET, Math.floor(Date.now() / 1000));
  return `${base}/proxy/${path}?${query}`;
}

/** A clock stopped at the start of the suite (signatures and tokens stay well within their skew). */
function fixedMinute(): () => number {
  const t0 = Date.now();
  return () => t0;
}

const from = (address: string) => ({ 'x-forwarded-for': address });

/** Every public endpoint counts in Redis and answers 429 with Retry-After past its limit; oversized bodies get 413. */
describe('rate and size limits (real Redis, PostgreSQL)', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: Awaited<ReturnType<typeof startLimitedServer>>;
  let ingest: Queue;
  const log = capturingLogger();

  beforeAll(async () => {
    runtime = await testRuntime({ backend: 'postgres' });
    await insertShop(runtime.db, SHOP, 'EUR');
    await insertShop(runtime.db, OTHER, 'EUR');
    server = await startLimitedServer(runtime, {
      // One fixed minute for the counters: the windows never roll over mid-test.
      now: fixedMinute(),
      logger: log.logger,
      limits: { webhooksPerMinute: 3, webhookRejectedPerMinute: 2, webhookBodyBytes: 64 * 1024, storefrontPerMinute: 2, adminApiPerMinute: 3, httpPerMinute: 1000 },
    });
    ingest = new Queue(QUEUE.ingest, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
  });
  afterAll(async () => {
    await ingest.close();
    await server.close();
    await runtime.close();
  });

  const limited = (res: Response) => [res.status, res.headers.get('retry-after') !== null && Number(res.headers.get('retry-after')) > 0 && Number(res.headers.get('retry-after')) <= 60];

  it('webhooks: a body over the limit gets 413 and nothing is enqueued or claimed', async () => {
    const body = JSON.stringify({ ...orderPayload(), note: 'x'.repeat(70 * 1024) });
    const res = await postWebhook(server.url, TEST_SECRET, { topic: 'orders/create', shop: 'big-body.myshopify.com', body, webhookId: 'big-1' }, undefined);
    expect(res.status).toBe(413);
    expect(await ingest.count()).toBe(0);
    expect(await runtime.redis.keys(`${runtime.config.queuePrefix}:{big-body.myshopify.com}:*`)).toEqual([]);
    // Shopify retries, then drops such a delivery: the operator sees it.
    expect(log.lines().find((line) => line.msg === 'request body over the limit refused')).toMatchObject({ shop: 'big-body.myshopify.com', path: '/webhooks' });
  });

  it('webhooks with the default limit: a 4.5 MB order is enqueued whole, one byte over 5 MiB is refused', async () => {
    const defaults = await startLimitedServer(runtime, { now: fixedMinute() });
    try {
      const big = (bytes: number) => {
        const body = JSON.stringify({ ...orderPayload(), note: '' });
        return body.replace('"note":""', `"note":"${'x'.repeat(bytes - body.length)}"`);
      };
      const fits = big(4.5 * 1024 * 1024);
      expect((await postWebhook(defaults.url, TEST_SECRET, { topic: 'orders/create', shop: 'large.myshopify.com', body: fits, webhookId: 'large-1' })).status).toBe(200);
      const over = big(5 * 1024 * 1024 + 1);
      expect(Buffer.byteLength(over)).toBe(5 * 1024 * 1024 + 1);
      expect((await postWebhook(defaults.url, TEST_SECRET, { topic: 'orders/create', shop: 'large.myshopify.com', body: over, webhookId: 'large-2' })).status).toBe(413);
      const jobs = (await ingest.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).filter((j) => j.data.shop === 'large.myshopify.com');
      expect(jobs.map((j) => [j.data.webhookId, j.data.body.length])).toEqual([['large-1', fits.length]]);
    } finally {
      await defaults.close();
    }
  });

  it('webhooks: signed deliveries are limited per shop (429, Retry-After, not enqueued); another shop is not affected', async () => {
    const shop = 'burst.myshopify.com';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await postWebhook(server.url, TEST_SECRET, { topic: 'orders/create', shop, body: JSON.stringify(orderPayload()), webhookId: `burst-${i}` })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await fetch(`${server.url}/webhooks`, { method: 'POST', headers: signedHeaders(TEST_SECRET, { topic: 'orders/create', shop, body: '{}', webhookId: 'burst-9' }), body: '{}' });
    expect(limited(refused)).toEqual([429, true]);
    const jobs = await ingest.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
    expect(jobs.filter((j) => j.data.shop === shop).map((j) => j.data.webhookId).sort()).toEqual(['burst-0', 'burst-1', 'burst-2']);
    expect((await postWebhook(server.url, TEST_SECRET, { topic: 'orders/create', shop: 'calm.myshopify.com', body: JSON.stringify(orderPayload()) })).status).toBe(200);
  });

  it('webhooks: unsigned ones are refused before the body is read; an address that keeps forging gets 429, yet its signed deliveries still go through', async () => {
    const unsigned = await fetch(`${server.url}/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create' }, body: '{}' });
    expect([unsigned.status, await unsigned.json()]).toEqual([401, { error: 'unauthorized', reason: 'missing_hmac' }]);
    const forged = { topic: 'orders/create', shop: 'forged.myshopify.com', body: JSON.stringify(orderPayload()) };
    const post = (address: string, secret: string) =>
      fetch(`${server.url}/webhooks`, { method: 'POST', headers: { ...signedHeaders(secret, forged), ...from(address) }, body: forged.body });
    expect((await post('203.0.113.7', 'not-the-secret')).status).toBe(401);
    expect((await post('203.0.113.7', 'not-the-secret')).status).toBe(401);
    expect(limited(await post('203.0.113.7', 'not-the-secret'))).toEqual([429, true]);
    expect((await post('203.0.113.8', 'not-the-secret')).status).toBe(401);
    // The address is only what X-Forwarded-For says (a forger could name Shopify's): never a reason to refuse a valid signature.
    expect((await post('203.0.113.7', TEST_SECRET)).status).toBe(200);
    expect((await ingest.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).filter((j) => j.data.shop === 'forged.myshopify.com')).toHaveLength(1);
  });

  it('app proxy reads: per shopper address and shop (recommendations and sponsored share it); a read with a body gets 413', async () => {
    const get = (shop: string, path: string, address: string) => fetch(proxyUrl(server.url, shop, path, [['placement', 'related'], ['product_id', '1']]), { headers: from(address) });
    expect((await get(SHOP, 'recommendations', '198.51.100.1')).status).not.toBe(429);
    expect((await get(SHOP, 'sponsored', '198.51.100.1')).status).not.toBe(429);
    expect(limited(await get(SHOP, 'recommendations', '198.51.100.1'))).toEqual([429, true]);
    expect(limited(await get(SHOP, 'sponsored', '198.51.100.1'))).toEqual([429, true]);
    expect((await get(SHOP, 'recommendations', '198.51.100.2')).status).not.toBe(429);
    expect((await get(OTHER, 'recommendations', '198.51.100.1')).status).not.toBe(429);

    const raw = await rawRequest(proxyUrl(server.url, SHOP, 'recommendations'), 'GET', 'x'.repeat(1000));
    expect(raw).toEqual({ status: 413, body: { error: 'payload_too_large' } });
  });

  it('app proxy events: a body over 32 KB gets 413', async () => {
    const res = await rawRequest(proxyUrl(server.url, SHOP, 'events'), 'POST', JSON.stringify({ events: [], pad: 'x'.repeat(40 * 1024) }));
    expect(res).toEqual({ status: 413, body: { error: 'payload_too_large' } });
  });

  it('admin API: per shop once the token verified (429, Retry-After); another shop keeps its own budget', async () => {
    const call = (shop: string) => fetch(`${server.url}/api/campaigns`, { headers: { authorization: `Bearer ${sessionToken(shop)}` } });
    expect([(await call(SHOP)).status, (await call(SHOP)).status, (await call(SHOP)).status]).toEqual([200, 200, 200]);
    expect(limited(await call(SHOP))).toEqual([429, true]);
    expect((await call(OTHER)).status).toBe(200);
    // A JSON body of more than 64 KB is refused before it is parsed.
    const big = await fetch(`${server.url}/api/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sessionToken(OTHER)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(70 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(await runtime.db.selectFrom('sponsored_campaigns').select('id').execute()).toEqual([]);
  });
});

describe('per-address limit on auth, the admin page, the admin API before authentication, and everything else', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: Awaited<ReturnType<typeof startLimitedServer>>;

  beforeAll(async () => {
    runtime = await testRuntime({ backend: 'postgres' });
    await insertShop(runtime.db, SHOP, 'EUR');
    server = await startLimitedServer(runtime, { now: fixedMinute(), limits: { httpPerMinute: 4 } });
  });
  afterAll(async () => {
    await server.close();
    await runtime.close();
  });

  it.each([
    ['GET /auth', 'GET', `/auth?shop=${SHOP}`, '192.0.2.1'],
    ['GET /auth/callback', 'GET', `/auth/callback?shop=${SHOP}`, '192.0.2.2'],
    ['the admin page', 'GET', `/admin?shop=${SHOP}`, '192.0.2.3'],
    ['the admin API without a token', 'GET', '/api/campaigns', '192.0.2.4'],
    ['an unknown path', 'GET', '/nothing-here', '192.0.2.5'],
  ])('%s: the fifth request from one address in a minute gets 429 with Retry-After', async (_what, method, path, address) => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${server.url}${path}`, { method, headers: from(address), redirect: 'manual' })).status);
    expect(statuses.every((s) => s !== 429)).toBe(true);
    const fifth = await fetch(`${server.url}${path}`, { method, headers: from(address), redirect: 'manual' });
    expect(fifth.status).toBe(429);
    expect(await fifth.json()).toEqual({ error: 'rate_limited' });
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await fetch(`${server.url}${path}`, { method, headers: from(`${address}0`), redirect: 'manual' })).status).not.toBe(429);
  });

  it('health checks are never limited', async () => {
    for (let i = 0; i < 8; i++) expect((await fetch(`${server.url}/healthz`, { headers: from('192.0.2.9') })).status).toBe(200);
  });
});

/** A request with any method and body (fetch sends no body with GET). */
async function rawRequest(url: string, method: string, body: string): Promise<{ status: number; body: unknown }> {
  
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
