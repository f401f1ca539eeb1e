import type { AddressInfo } from 'node:net';
import express from 'express';
import { Queue } from 'bullmq';
import { DeliveryDedupe } from '../../../app/webhooks/dedupe';
import { webhookRouter } from '../../../app/webhooks/route';
import { createLogger } from '../../../shared/logger';
import { QUEUE } from '../../../shared/queue';
import { createRedis } from '../../../shared/redis';
import { TEST_SECRET, testConfig } from '../../support/config';
import { deleteKeys } from '../../support/runtime';
import { orderPayload } from '../../support/shopify-payloads';
import { postWebhook } from '../../support/webhooks';

const SHOP = 'retry.myshopify.com';

describe('a delivery whose enqueue fails', () => {
  const config = testConfig();
  const redis = createRedis(config.redisUrl);
  const queue = new Queue(QUEUE.ingest, { connection: redis, prefix: config.queuePrefix });
  let failNextAdd = true;
  // The real queue with one method overridden: the first add fails as a Redis outage would.
  const flakyQueue = Object.create(queue) as Queue;
  flakyQueue.add = (async (...args: Parameters<Queue['add']>) => {
    if (failNextAdd) {
      failNextAdd = false;
      throw new Error('Connection is closed.');
    }
    return queue.add(...args);
  }) as Queue['add'];
  let url: string;
  let server: ReturnType<express.Express['listen']>;

  beforeAll(async () => {
    const app = express().use(
      webhookRouter({
        apiSecret: TEST_SECRET,
        dedupe: new DeliveryDedupe(redis, config.queuePrefix, config.webhookDedupeTtlSeconds),
        ingestQueue: flakyQueue,
        logger: createLogger({ level: 'silent' }),
        path: '/webhooks',
      }),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await queue.close();
    await deleteKeys(redis, `${config.queuePrefix}:*`);
    await redis.quit();
  });

  it('answers 503 so Shopify retries, and the retry is accepted, not taken for a duplicate', async () => {
    const delivery = { topic: 'orders/create', shop: SHOP, body: JSON.stringify(orderPayload()), webhookId: 'w-1', eventId: 'e-1' };
    const first = await postWebhook(url, TEST_SECRET, delivery);
    expect(first.status).toBe(503);
    expect(await queue.count()).toBe(0);
    const retry = await postWebhook(url, TEST_SECRET, delivery);
    expect(retry).toEqual({ status: 200, body: { ok: true } });
    expect(await queue.count()).toBe(1);
    const again = await postWebhook(url, TEST_SECRET, delivery);
    expect(again.body).toEqual({ ok: true, duplicate: true });
  });

  it('holds an unconfirmed claim for a minute only, and never takes it for a duplicate', async () => {
    const dedupe = new DeliveryDedupe(redis, config.queuePrefix, config.webhookDedupeTtlSeconds);
    const d = { shop: SHOP, topic: 'orders/paid', webhookId: 'w-2', eventId: 'e-2' };
    expect(await dedupe.claim(d)).toBe(true);
    const ttl = await redis.ttl(`${config.queuePrefix}:{${SHOP}}:wh:w-2`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    // Redis died after the claim, before the enqueue and its release: the retry is still new.
    expect(await dedupe.claim(d)).toBe(true);
    await dedupe.confirm(d);
    expect(await dedupe.claim(d)).toBe(false);
    expect(await redis.ttl(`${config.queuePrefix}:{${SHOP}}:wh:w-2`)).toBeGreaterThan(60);
    // The same merchant action under another webhook id: a duplicate once the first was queued.
    expect(await dedupe.claim({ ...d, webhookId: 'w-3' })).toBe(false);
  });
});
