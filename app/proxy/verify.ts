import { timingSafeEqual } from 'node:crypto';
import { KeyedHmac } from '../../shared/crypto/keyed-hmac';

/** Shopify rejects app proxy timestamps more than 90 s off; so do we (replays of old URLs fail). */
export const PROXY_MAX_SKEW_SECONDS = 90;

export type ProxyVerification =
  | { ok: true; shop: string; loggedInCustomerId: string | null; pathPrefix: string | null }
  | { ok: false; reason: 'missing_signature' | 'invalid_signature' | 'missing_shop' | 'stale_timestamp' | 'repeated_parameter' };

const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const SIGNATURE = /^[0-9a-f]{64}$/i;

/** The app secret's padded HMAC blocks, made once (a process has one secret). */
let lastSecret: { secret: string; hmac: KeyedHmac } | null = null;

/**
 * Checks an app proxy request's query (as received, repeated keys included) against the app
 * secret, constant-time, then its timestamp against `nowSeconds`. Expected failures are values.
 *
 * The parameters Shopify adds to every proxied request (`shop`, `logged_in_customer_id`,
 * `path_prefix`, `timestamp`, `signature`) must each appear once: the signature joins a repeated
 * key's values, so a shopper's own `?shop=other.myshopify.com` placed before Shopify's would
 * still verify and, read first, name another shop (or customer).
 *
 * The signed message is built here in the one pass that reads those parameters, as
 * `appProxySignature` (shared/shopify) builds it: without `signature`, each key's values joined
 * with `,`, `key=value` sorted by key and concatenated; HMAC-SHA256 with the secret, hex.
 */
export function verifyProxyQuery(query: URLSearchParams, { secret, nowSeconds, maxSkewSeconds = PROXY_MAX_SKEW_SECONDS }: { secret: string; nowSeconds: number; maxSkewSeconds?: number }): ProxyVerification {
  let shop: string | null = null;
  let customer: string | null = null;
  let pathPrefix: string | null = null;
  let timestamp: string | null = null;
  let signature: string | null = null;
  const signed = new Map<string, string>();
  for (const [key, value] of query) {
    switch (key) {
      case 'signature':
        if (signature !== null) return { ok: false, reason: 'repeated_parameter' };
        signature = value;
        continue;
      case 'shop':
        if (shop !== null) return { ok: false, reason: 'repeated_parameter' };
        shop = value;
        break;
      case 'logged_in_customer_id':
        if (customer !== null) return { ok: false, reason: 'repeated_parameter' };
        customer = value;
        break;
      case 'path_prefix':
        if (pathPrefix !== null) return { ok: false, reason: 'repeated_parameter' };
        pathPrefix = value;
        break;
      case 'timestamp':
        if (timestamp !== null) return { ok: false, reason: 'repeated_parameter' };
        timestamp = value;
        break;
    }
    const seen = signed.get(key);
    signed.set(key, seen === undefined ? value : `${seen},${value}`);
  }
  if (!signature || !SIGNATURE.test(signature)) return { ok: false, reason: 'missing_signature' };
  let message = '';
  for (const key of [...signed.keys()].sort()) message += `${key}=${signed.get(key)!}`;
  if (lastSecret?.secret !== secret) lastSecret = { secret, hmac: new KeyedHmac(secret) };
  if (!sameHex(signature, lastSecret.hmac.digest(message, 'hex'))) return { ok: false, reason: 'invalid_signature' };
  if (!shop || !SHOP.test(shop)) return { ok: false, reason: 'missing_shop' };
  const seconds = Number(timestamp);
  if (!Number.isFinite(seconds) || Math.abs(nowSeconds - seconds) > maxSkewSeconds) return { ok: false, reason: 'stale_timestamp' };
  return { ok: true, shop, loggedInCustomerId: customer || null, pathPrefix };
}

/** `given` (64 hex digits, either case) against `expected` (lowercase hex), in constant time (node:crypto). */
function sameHex(given: string, expected: string): boolean {
  const a = Buffer.from(given.toLowerCase(), 'latin1');
  const b = Buffer.from(expected, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
