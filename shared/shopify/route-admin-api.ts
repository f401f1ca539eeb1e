import { setAbstractFetchFunc } from '@shopify/shopify-api/runtime';

const SHOP_ADMIN_URL = /^https:\/\/([a-z0-9][a-z0-9-]*\.myshopify\.com)(\/admin\/.*)$/i;

/**
 * Sends the Shopify library's Admin API calls (OAuth token exchange, GraphQL) to `origin`
 * instead of https://{shop}, carrying the shop in X-Forwarded-Host, for the local stand-in.
 * The library builds those URLs itself and fetches through one runtime-wide function, so
 * wrapping that function is the one hook that covers every call. It is process-wide: the
 * last origin set wins. Nothing changes unless this is called.
 */
export function routeAdminApiTo(origin: string): void {
  const target = new URL(origin);
  const fetchDirect = globalThis.fetch;
  setAbstractFetchFunc(async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const match = SHOP_ADMIN_URL.exec(url);
    if (!match) return fetchDirect(input, init);
    const headers = new Headers(init?.headers);
    headers.set('X-Forwarded-Host', match[1]!.toLowerCase());
    return fetchDirect(new URL(match[2]!, target).href, { ...init, headers });
  });
}
