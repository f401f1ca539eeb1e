import express, { type Request, type Response, type Router } from 'express';
import type { Queue } from 'bullmq';
import type { Logger } from '../../shared/logger';
import { tooManyRequests } from '../http/rate-limit-middleware';
import type { RateLimiter, RateLimitRule } from '../http/rate-limit';
import { jobId, shopDomain, WEBHOOK_TOPICS, type IngestJob } from '../../shared/queue';
import type { DeliveryDedupe } from './dedupe';
import { verifyWebhook } from './verify';

const TOPICS = new Set<string>(WEBHOOK_TOPICS);

/** Shopify's payloads can be large (an order with hundreds of lines): 5 MiB unless configured. */
export const DEFAULT_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;

/** The webhook endpoint's limits (docs/security.md). */
export interface WebhookLimits {
  limiter: RateLimiter;
  /** Signed deliveries per shop. */
  perShop: RateLimitRule;
  /** Unsigned or forged deliveries per client address; past it, refused before the body is read. */
  rejected: RateLimitRule;
}

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
  bodyLimitBytes = DEFAULT_WEBHOOK_BODY_BYTES,
  limits,
}: {
  apiSecret: string;
  dedupe: DeliveryDedupe;
  ingestQueue: Queue;
  logger: Logger;
  path: string;
  /** Largest body accepted (413 above it, nothing enqueued). */
  bodyLimitBytes?: number;
  /** Rate limits; none when absent. */
  limits?: WebhookLimits;
}): Router {
  const router = express.Router();
  // An address that sent too many forged deliveries is refused before its next body is read.
  const rejectedBefore = async (req: Request, res: Response, next: () => void) => {
    if (!limits || !(await limits.limiter.isOver(limits.rejected, { address: req.ip ?? 'unknown' }))) return next();
    res.set('Connection', 'close');
    tooManyRequests(res, limits.rejected.windowSeconds);
  };
  // Every body is read as bytes whatever its Content-Type says (absent included): the HMAC covers
  // the bytes, not that unsigned header, so a signed delivery never fails on it.
  router.post(path, rejectedBefore, express.raw({ type: () => true, limit: bodyLimitBytes }), async (req: Request, res: Response) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyWebhook(req.headers, rawBody, apiSecret);
    if (!check.ok) {
      logger.warn({ reason: check.reason, missing: check.missing, ip: req.ip }, 'webhook rejected');
      if (limits) await limits.limiter.hit(limits.rejected, { address: req.ip ?? 'unknown' });
      // Unsigned or forged: 401 whatever else is wrong. Signed but incomplete: 400.
      res.status(check.reason === 'missing_headers' ? 400 : 401).json({ error: 'unauthorized', reason: check.reason });
      return;
    }
    const shop = shopDomain.safeParse(check.shop);
    if (!shop.success) {
      res.status(400).json({ error: 'bad_request', reason: 'invalid_shop_domain' });
      return;
    }
    if (limits) {
      const allowed = await limits.limiter.hit(limits.perShop, { shop: shop.data });
      if (!allowed.ok) {
        logger.warn({ shop: shop.data, topic: check.topic, webhookId: check.webhookId }, 'webhook rate limited; Shopify retries it');
        tooManyRequests(res, allowed.retryAfterSeconds);
        return;
      }
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
