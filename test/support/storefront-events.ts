import { randomUUID } from 'node:crypto';
import { startWebServer } from '../../app';
import type { Runtime } from '../../shared/runtime';
import { signProxyQuery } from '../../shared/shopify';
import { recommendationTokenKey, signRecommendationToken, type RecommendationToken } from '../../shared/tracking';
import { TEST_SECRET } from './config';

/** A clock the test moves; the proxy's signature check and the events endpoint both read it. */
export interface TestClock {
  ms: number;
}

/** The real web process (startWebServer) on a free port, with the proxy's clock under the test's control. */
export async function startEventsApp(runtime: Runtime, clock: TestClock): Promise<{ url: string; tokenKey: Buffer; close(): Promise<void> }> {
  const server = await startWebServer(runtime, { port: 0, now: () => clock.ms, storefrontRedis: runtime.redis });
  return { url: server.url, tokenKey: recommendationTokenKey(runtime.config.tokenEncryptionKey), close: server.close };
}

/** A token as the recommendations endpoint would mint it, issued at the clock's time unless told. */
export function mintToken(key: Buffer, shop: string, clock: TestClock, overrides: Partial<RecommendationToken> = {}): string {
  return signRecommendationToken(key, shop, {
    impressionId: 'imp1',
    placement: 'fbt',
    productId: '7001',
    position: 0,
    modelVersion: '42',
    sponsored: false,
    issuedAt: Math.floor(clock.ms / 1000),
    ...overrides,
  });
}

/** A fresh event id of the shape blocks send (a UUID). */
export const eventId = (): string => randomUUID();

export interface PostEventsOptions {
  shop: string;
  clock: TestClock;
  /** The raw body; objects are sent as JSON. */
  body: unknown;
  loggedInCustomerId?: string;
  /** Default `application/json`. */
  contentType?: string;
  /** Default a desktop Chrome. */
  userAgent?: string;
  /** Sent as X-Forwarded-For (the app trusts the proxy in front of it). */
  clientAddress?: string;
  /** Signs with another secret: a forged request. */
  secret?: string;
}

export const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** POSTs to /proxy/events with a query signed as Shopify's app proxy signs it. */
export async function postEvents(url: string, o: PostEventsOptions): Promise<{ status: number; body: Record<string, unknown> | null }> {
  const params: [string, string][] = [
    ['shop', o.shop],
    ['logged_in_customer_id', o.loggedInCustomerId ?? ''],
    ['path_prefix', '/apps/shelfwise'],
  ];
  const query = signProxyQuery(params, o.secret ?? TEST_SECRET, Math.floor(o.clock.ms / 1000));
  const res = await fetch(`${url}/proxy/events?${query}`, {
    method: 'POST',
    headers: {
      'content-type': o.contentType ?? 'application/json',
      'user-agent': o.userAgent ?? BROWSER_UA,
      ...(o.clientAddress ? { 'x-forwarded-for': o.clientAddress } : {}),
    },
    body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}
