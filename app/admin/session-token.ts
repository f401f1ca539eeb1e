import type { RequestHandler, Response } from 'express';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import type { Shopify } from '../shopify/app';

/** The merchant's shop, known only from a verified session token: set on `res.locals.admin`. */
export interface AdminContext {
  shop: string;
  /** The shop's currency (null until the install recorded it). */
  currency: string | null;
}

export function adminContext(res: Response): AdminContext {
  return res.locals.admin as AdminContext;
}

/** The shop a session token names, when the library verified it and its claims agree. */
export async function shopFromSessionToken(shopify: Shopify, token: string): Promise<string | null> {
  let payload;
  try {
    // Signature (HS256, app secret), exp and nbf (10 s tolerance) and aud = API key.
    payload = await shopify.api.session.decodeSessionToken(token);
  } catch {
    return null;
  }
  // jose accepts a token without exp; Shopify's always carry one, and one without never expires.
  if (typeof payload.exp !== 'number' || typeof payload.dest !== 'string' || typeof payload.iss !== 'string') return null;
  let dest: URL;
  let iss: URL;
  try {
    dest = new URL(payload.dest);
    iss = new URL(payload.iss);
  } catch {
    return null;
  }
  // Shopify: iss is the shop's admin (https://<shop>/admin) and must name the same shop as dest.
  if (dest.protocol !== 'https:' || iss.host !== dest.host) return null;
  const shop = shopify.api.utils.sanitizeShop(dest.host);
  return shop && shop === dest.host ? shop : null;
}

/**
 * App Bridge session tokens (`Authorization: Bearer <JWT>`): 401 `{error:'unauthorized'}` unless
 * the token verifies and names a shop that has the app installed. The shop never comes from the
 * query or the body.
 */
export function requireSessionToken({ shopify, db, logger }: { shopify: Shopify; db: Db; logger: Logger }): RequestHandler {
  return async (req, res, next) => {
    // Verified earlier in this request (the web app checks before its per-shop rate limit).
    if (res.locals.admin) return next();
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(req.headers.authorization ?? '');
    const shop = match ? await shopFromSessionToken(shopify, match[1]!) : null;
    const row = shop
      ? await db.selectFrom('shops').select(['domain', 'currency']).where('domain', '=', shop).where('active', '=', true).executeTakeFirst()
      : undefined;
    if (!row) {
      if (shop) logger.info({ shop }, 'admin API: session token for a shop without an active install');
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    res.locals.admin = { shop: row.domain, currency: row.currency } satisfies AdminContext;
    next();
  };
}
