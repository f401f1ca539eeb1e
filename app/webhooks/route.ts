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
  /**
   * Forged deliveries per client address; past it they get 429 instead of 401. Never a reason to
   * refuse a delivery that verifies: the address is whatever X-Forwarded-For says, and a forger
   * could name Shopify's.
   */
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
  // Without a signature nothing can verify: refused before a byte of the body is read.
  const unsignedRefused = (req: Request, res: Response, next: () => void) => {
    if (req.headers['x-shopify-hmac-sha256']) return next();
    logger.warn({ reason: 'missing_hmac', ip: req.ip }, 'webhook rejected');
    // A body we will not read is drained by Node to keep the connection; not one over the limit.
    if (Number(req.headers['content-length'] ?? 0) > bodyLimitBytes) res.set('Connection', 'close');
    res.status(401).json({ error: 'unauthorized', reason: 'missing_hmac' });
  };
  // Every body is read as bytes whatever its Content-Type says (absent included): the HMAC covers
  // the bytes, not that unsigned header, so a signed delivery never fails on it.
  router.post(path, unsignedRefused, express.raw({ type: () => true, limit: bodyLimitBytes }), async (req: Request, res: Response) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyWebhook(req.headers, rawBody, apiSecret);
    if (!check.ok) {
      logger.warn({ reason: check.reason, missing: check.missing, ip: req.ip }, 'webhook rejected');
      // Unsigned or forged: 401 whatever else is wrong (429 for an address that keeps forging). Signed but incomplete: 400.
      if (limits && check.reason !== 'missing_headers') {
        const allowed = await limits.limiter.hit(limits.rejected, { address: req.ip ?? 'unknown' });
        if (!allowed.ok) {
          tooManyRequests(res, allowed.retryAfterSeconds);
          return;
        }
      }
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
