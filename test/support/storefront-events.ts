import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createShopify, createWebApp } from '../../app';
import { DbSessionStorage } from '../../app/auth';
import { TokenCipher } from '../../shared/crypto';
import { openQueue, QUEUE } from '../../shared/queue';
import type { Runtime } from '../../shared/runtime';
import { signProxyQuery } from '../../shared/shopify';
import { recommendationTokenKey, signRecommendationToken, type RecommendationToken } from '../../shared/tracking';
import { TEST_SECRET } from './config';

/** A clock the test moves; the proxy's signature check and the events endpoint both read it. */
export interface TestClock {
  ms: number;
}

/**
 * The real web app (createWebApp, as startWebServer builds it) on a free port, with the proxy's
 * clock under the test's control.
 */
export async function startEventsApp(runtime: Runtime, clock: TestClock): Promise<{ url: string; tokenKey: Buffer; close(): Promise<void> }> {
  const { config, db, redis, logger } = runtime;
  const shopify = createShopify({ config, sessionStorage: new DbSessionStorage(db, new TokenCipher(config.tokenEncryptionKey)), logger });
  const queues = {
    ingest: openQueue(QUEUE.ingest, { connection: redis, prefix: config.queuePrefix }),
    sync: openQueue(QUEUE.sync, { connection: redis, prefix: config.queuePrefix }),
  };
  const tokenKey = recommendationTokenKey(config.tokenEncryptionKey);
  const app = createWebApp({
    shopify,
    db,
    redis,
    queues,
    logger,
    queuePrefix: config.queuePrefix,
    webhookDedupeTtlSeconds: config.webhookDedupeTtlSeconds,
    proxy: { customerIdKey: config.customerIdKey, tokenKey, storefront: config.storefront, now: () => clock.ms },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokenKey,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
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
