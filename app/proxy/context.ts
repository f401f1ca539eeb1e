import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import type { Redis } from '../../shared/redis';

/** Where the app serves the proxy: the app's `[app_proxy] url` points here (shopify.app.toml). */
export const PROXY_PATH = '/proxy';

/** What every app-proxy handler is given. */
export interface ProxyDeps {
  /** The app secret: signs app-proxy queries. */
  apiSecret: string;
  db: Db;
  redis: Redis;
  logger: Logger;
  /** QUEUE_PREFIX: every Redis key of the app sits under it. */
  queuePrefix: string;
  /** CUSTOMER_ID_KEY: pseudonymises logged-in customers and visitors per shop. */
  customerIdKey: string;
  /** Signs and checks recommendation tokens (recommendationTokenKey). */
  tokenKey: Buffer;
  /** Keys of TOKEN_ENCRYPTION_KEYS_PREVIOUS: tokens signed before a rotation still verify (never used to sign). */
  previousTokenKeys?: readonly Buffer[];
  storefront: {
    /** How long a shop's catalog and rules stay in memory, in ms. */
    cacheMs: number;
    maxPerVendor: number;
    eventsPerMinute: number;
    eventMaxAgeSeconds: number;
  };
  /** Epoch ms; tests pass a fixed clock. */
  now: () => number;
}

/** The verified app-proxy request: set on `res.locals.proxy` before any handler runs. */
export interface ProxyRequestContext {
  shop: string;
  /** Shopify customer id when a customer is logged in to the storefront. */
  loggedInCustomerId: string | null;
}
