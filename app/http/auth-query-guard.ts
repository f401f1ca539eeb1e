import type { RequestHandler } from 'express';
import type { Shopify } from '../shopify/app';

/**
 * GET /auth and /auth/callback check their query before Shopify's library sees it: the library
 * answers a missing or malformed shop (or, embedded, host) with a 500, which is the client's
 * error, not ours.
 */
export function authQueryGuard(shopify: Shopify): RequestHandler {
  return (req, res, next) => {
    const shop = typeof req.query.shop === 'string' ? shopify.api.utils.sanitizeShop(req.query.shop) : null;
    if (!shop) {
      res.status(400).json({ error: 'bad_request', reason: 'invalid_shop' });
      return;
    }
    if (req.query.embedded === '1' && !(typeof req.query.host === 'string' && shopify.api.utils.sanitizeHost(req.query.host))) {
      res.status(400).json({ error: 'bad_request', reason: 'invalid_host' });
      return;
    }
    next();
  };
}
