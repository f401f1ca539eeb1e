import { createHmac } from 'node:crypto';

/** Query parameters as an app proxy request carries them; a key may repeat (`extra=1&extra=2`). */
export type ProxyParams = ReadonlyArray<readonly [string, string]>;

/**
 * Shopify's app proxy signature (../shared/docs/shopify-facts.md, "App proxy"): drop
 * `signature`, join each key's values with `,`, write `key=value` sorted by key, concatenate with
 * no separator, HMAC-SHA256 with the app secret, hex. The app verifies with it; tests, the local
 * storefront and benchmarks sign with it.
 */
export function appProxySignature(params: ProxyParams, secret: string): string {
  const values = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === 'signature') continue;
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  const message = [...values.keys()]
    .sort()
    .map((key) => `${key}=${values.get(key)!.join(',')}`)
    .join('');
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

/** A query string as Shopify forwards it: the params plus `timestamp` and a valid `signature`. */
export function signProxyQuery(params: ProxyParams, secret: string, timestampSeconds: number): string {
  const withTime: [string, string][] = [...params.filter(([key]) => key !== 'timestamp' && key !== 'signature').map(([k, v]): [string, string] => [k, v]), ['timestamp', String(timestampSeconds)]];
  const query = new URLSearchParams(withTime);
  query.append('signature', appProxySignature(withTime, secret));
  return query.toString();
}
