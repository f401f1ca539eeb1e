import express, { type Request, type Response, type Router } from 'express';
import type { Queue } from 'bullmq';
import type { Logger } from '../../shared/logger';
import { ingestJob, jobId, shopDomain, WEBHOOK_TOPICS } from '../../shared/queue';
import type { Shopify } from '../shopify/app';
import type { DeliveryDedupe } from './dedupe';

/** The library reports topics as ORDERS_CREATE; we keep Shopify's header form, orders/create. */
const TOPICS_BY_LIBRARY_NAME = new Map<string, string>(
  WEBHOOK_TOPICS.map((topic) => [topic.toUpperCase().replace(/[/.]/g, '_'), topic]),
);

/**
 * POST /webhooks: verify the HMAC of the raw body, drop duplicates, enqueue, answer 200.
 * Nothing else happens here: parsing and storing is the ingest worker's job, so Shopify's
 * 5 s budget is never at risk and a bad payload can never fail the delivery.
 */
export function webhookRouter({
  shopify,
  dedupe,
  ingestQueue,
  logger,
  path,
}: {
  shopify: Shopify;
  dedupe: DeliveryDedupe;
  ingestQueue: Queue;
  logger: Logger;
  path: string;
}): Router {
  const router = express.Router();
  router.post(path, express.text({ type: '*/*', limit: '5mb' }), async (req: Request, res: Response) => {
    const rawBody = typeof req.body === 'string' ? req.body : '';
    const check = await shopify.api.webhooks.validate({ rawBody, rawRequest: req, rawResponse: res });
    if (!check.valid) {
      logger.warn({ reason: check.reason, ip: req.ip }, 'webhook rejected');
      res.status(401).json({ error: 'unauthorized', reason: check.reason });
      return;
    }
    const shop = shopDomain.safeParse(check.domain);
    if (!shop.success) {
      res.status(400).json({ error: 'bad_request', reason: 'invalid_shop_domain' });
      return;
    }
    const topic = TOPICS_BY_LIBRARY_NAME.get(check.topic);
    if (!topic) {
      logger.info({ topic: check.topic, shop: shop.data }, 'webhook topic not subscribed; ignored');
      res.status(200).json({ ok: true, ignored: true });
      return;
    }
    const delivery = {
      shop: shop.data,
      topic,
      webhookId: check.webhookId,
      eventId: 'eventId' in check ? check.eventId : undefined,
      triggeredAt: check.triggeredAt,
      apiVersion: check.apiVersion,
      receivedAt: new Date().toISOString(),
      body: rawBody,
    };
    if (!(await dedupe.claim(delivery))) {
      res.status(200).json({ ok: true, duplicate: true });
      return;
    }
    try {
      await ingestQueue.add(delivery.topic, ingestJob.parse(delivery), {
        jobId: jobId('wh', delivery.shop, delivery.webhookId),
      });
    } catch (error) {
      await dedupe.release(delivery).catch(() => undefined);
      logger.error({ err: error, shop: delivery.shop, topic: delivery.topic }, 'webhook enqueue failed');
      res.status(503).json({ error: 'unavailable' });
      return;
    }
    res.status(200).json({ ok: true });
  });
  return router;
}
