import express, { type Request, type Response, type Router } from 'express';
import type { Queue } from 'bullmq';
import type { Logger } from '../../shared/logger';
import { jobId, shopDomain, WEBHOOK_TOPICS, type IngestJob } from '../../shared/queue';
import type { DeliveryDedupe } from './dedupe';
import { verifyWebhook } from './verify';

const TOPICS = new Set<string>(WEBHOOK_TOPICS);

/**
 * POST /webhooks: verify the HMAC of the raw body, drop duplicates, enqueue, answer 200.
 * Nothing else happens here: parsing and storing is the ingest worker's job, so Shopify's
 * 5 s budget is never at risk and a bad payload can never fail the delivery.
 */
export function webhookRouter({
  apiSecret,
  dedupe,
  ingestQueue,
  logger,
  path,
}: {
  apiSecret: string;
  dedupe: DeliveryDedupe;
  ingestQueue: Queue;
  logger: Logger;
  path: string;
}): Router {
  const router = express.Router();
  router.post(path, express.raw({ type: '*/*', limit: '5mb' }), async (req: Request, res: Response) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyWebhook(req.headers, rawBody, apiSecret);
    if (!check.ok) {
      logger.warn({ reason: check.reason, missing: check.missing, ip: req.ip }, 'webhook rejected');
      // Unsigned or forged: 401 whatever else is wrong. Signed but incomplete: 400.
      res.status(check.reason === 'missing_headers' ? 400 : 401).json({ error: 'unauthorized', reason: check.reason });
      return;
    }
    const shop = shopDomain.safeParse(check.shop);
    if (!shop.success) {
      res.status(400).json({ error: 'bad_request', reason: 'invalid_shop_domain' });
      return;
    }
    if (!TOPICS.has(check.topic)) {
      logger.info({ topic: check.topic, shop: shop.data }, 'webhook topic not subscribed; ignored');
      res.status(200).json({ ok: true, ignored: true });
      return;
    }
    const delivery: IngestJob = {
      shop: shop.data,
      topic: check.topic,
      webhookId: check.webhookId,
      eventId: check.eventId,
      triggeredAt: check.triggeredAt,
      apiVersion: check.apiVersion,
      receivedAt: new Date().toISOString(),
      body: rawBody.toString('utf8'),
    };
    if (!(await dedupe.claim(delivery))) {
      res.status(200).json({ ok: true, duplicate: true });
      return;
    }
    try {
      await ingestQueue.add(delivery.topic, delivery, { jobId: jobId('wh', delivery.shop, delivery.webhookId) });
    } catch (error) {
      await dedupe.release(delivery).catch(() => undefined);
      logger.error({ err: error, shop: delivery.shop, topic: delivery.topic }, 'webhook enqueue failed');
      res.status(503).json({ error: 'unavailable' });
      return;
    }
    res.status(200).json({ ok: true });
    // After answering: if this fails the claim lapses in a minute and a later duplicate is
    // enqueued again, which ingest absorbs (it is idempotent). Nothing is lost either way.
    dedupe.confirm(delivery).catch((error) => logger.warn({ err: error, shop: delivery.shop }, 'dedupe confirm failed'));
  });
  return router;
}
