import { signProxyQuery } from '../../shopify';

/** The storefront path the proxy answers under (`[app_proxy]` prefix and subpath). */
export const PATH_PREFIX = '/apps/shelfwise';

/** A desktop browser's user agent: the events endpoint drops beacons from crawler agents. */
export const SHOPPER_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export interface AppProxyClientOptions {
  /** The web process's URL, e.g. `http://127.0.0.1:3000` (the proxy lives under `/proxy`). */
  baseUrl: string;
  shop: string;
  /** The app's API secret: Shopify signs proxied queries with it. */
  apiSecret: string;
  /** Epoch ms of the real clock: the signature's timestamp must be within 90 s of the app's. */
  clock: () => number;
}

/** What one shopper's browser is, as Shopify's proxy forwards it. */
export interface ShopperRequestContext {
  /** The shopper's address, forwarded as X-Forwarded-For. */
  address: string;
  /** Numeric customer id when logged in, else null (sent as `logged_in_customer_id=`). */
  customerId: string | null;
}

export interface ProxyResponse {
  status: number;
  text: string;
}

export interface AppProxyClient {
  get(path: string, params: ReadonlyArray<readonly [string, string]>, shopper: ShopperRequestContext): Promise<ProxyResponse>;
  post(path: string, params: ReadonlyArray<readonly [string, string]>, body: string, shopper: ShopperRequestContext): Promise<ProxyResponse>;
}

/**
 * Requests as Shopify's app proxy forwards them: the storefront's own query, then `shop`,
 * `logged_in_customer_id`, `path_prefix`, `timestamp` and the HMAC `signature`, with the shopper's
 * address in X-Forwarded-For. Over HTTP only: the simulation never calls the app's code.
 */
export function createAppProxyClient({ baseUrl, shop, apiSecret, clock }: AppProxyClientOptions): AppProxyClient {
  const url = (path: string, params: ReadonlyArray<readonly [string, string]>, shopper: ShopperRequestContext) => {
    const query = signProxyQuery(
      [...params, ['shop', shop], ['logged_in_customer_id', shopper.customerId ?? ''], ['path_prefix', PATH_PREFIX]],
      apiSecret,
      Math.floor(clock() / 1000),
    );
    return `${baseUrl.replace(/\/$/, '')}/proxy${path}?${query}`;
  };
  const headers = (shopper: ShopperRequestContext): Record<string, string> => ({
    'user-agent': SHOPPER_USER_AGENT,
    accept: 'application/json',
    'x-forwarded-for': shopper.address,
    'x-forwarded-host': shop,
  });
  const send = async (target: string, init: RequestInit): Promise<ProxyResponse> => {
    const response = await fetch(target, init);
    return { status: response.status, text: await response.text() };
  };
  return {
    get: (path, params, shopper) => send(url(path, params, shopper), { method: 'GET', headers: headers(shopper) }),
    post: (path, params, body, shopper) =>
      // sendBeacon's content type, as the block sends its events.
      send(url(path, params, shopper), { method: 'POST', headers: { ...headers(shopper), 'content-type': 'text/plain;charset=UTF-8' }, body }),
  };
}
