import { timingSafeEqual } from 'node:crypto';
import { appProxySignature } from '../../shared/shopify';

/** Shopify rejects app proxy timestamps more than 90 s off; so do we (replays of old URLs fail). */
export const PROXY_MAX_SKEW_SECONDS = 90;

export type ProxyVerification =
  | { ok: true; shop: string; loggedInCustomerId: string | null; pathPrefix: string | null }
  | { ok: false; reason: 'missing_signature' | 'invalid_signature' | 'missing_shop' | 'stale_timestamp' | 'repeated_parameter' };

/**
 * Parameters Shopify adds to every proxied request. The signature joins a repeated key's values,
 * so a shopper's own `?shop=other.myshopify.com` placed before Shopify's would still verify and,
 * read first, name another shop (or customer): each must appear exactly once.
 */
const SHOPIFY_PARAMETERS = ['shop', 'logged_in_customer_id', 'path_prefix', 'timestamp', 'signature'] as const;

const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * Checks an app proxy request's query (as received, repeated keys included) against the app
 * secret, constant-time, then its timestamp against `nowSeconds`. Expected failures are values.
 */
export function verifyProxyQuery(query: URLSearchParams, { secret, nowSeconds, maxSkewSeconds = PROXY_MAX_SKEW_SECONDS }: { secret: string; nowSeconds: number; maxSkewSeconds?: number }): ProxyVerification {
  for (const name of SHOPIFY_PARAMETERS) if (query.getAll(name).length > 1) return { ok: false, reason: 'repeated_parameter' };
  const signature = query.get('signature');
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature)) return { ok: false, reason: 'missing_signature' };
  const expected = Buffer.from(appProxySignature([...query.entries()], secret), 'hex');
  const received = Buffer.from(signature, 'hex');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) return { ok: false, reason: 'invalid_signature' };
  const shop = query.get('shop');
  if (!shop || !SHOP.test(shop)) return { ok: false, reason: 'missing_shop' };
  const timestamp = Number(query.get('timestamp'));
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > maxSkewSeconds) return { ok: false, reason: 'stale_timestamp' };
  return { ok: true, shop, loggedInCustomerId: query.get('logged_in_customer_id') || null, pathPrefix: query.get('path_prefix') };
}
