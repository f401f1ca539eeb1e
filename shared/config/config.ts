import path from 'node:path';
import { ConfigError } from '../errors';
import { envSchema } from './schema';

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  shopify: {
    apiKey: string;
    apiSecret: string;
    appUrl: string;
    scopes: string[];
    apiVersion: string;
    adminApiOrigin?: string;
  };
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; poolSize: number };
  dataDir: string;
  redisUrl: string;
  queuePrefix: string;
  tokenEncryptionKey: Buffer;
  /** Earlier token keys still accepted for opening while stored tokens are re-sealed (rotation). */
  tokenEncryptionKeysPrevious: Buffer[];
  customerIdKey: string;
  http: { host: string; port: number };
  ingestConcurrency: number;
  webhookDedupeTtlSeconds: number;
  reconcileCron: string;
  train: {
    /** When each shop's scheduled training runs (cron, UTC). */
    cron: string;
    /** New orders since the last trigger that queue a training run. */
    minNewOrders: number;
    /** How long a run queued by new orders waits, in ms, so a burst (a sale, an import) trains once. */
    triggerDelayMs: number;
    /** Trainings at once per worker process; each holds one CPU core in its child process. */
    concurrency: number;
  };
  storefront: {
    /** How long the web process keeps a shop's catalog and rules in memory, in ms. */
    cacheMs: number;
    /** Most products from one vendor in a block. */
    maxPerVendor: number;
    /** Events accepted per visitor (or address) per minute. */
    eventsPerMinute: number;
    /** Events whose token was issued longer ago than this are stale, in seconds. */
    eventMaxAgeSeconds: number;
  };
  ops: {
    /** The worker's health server port (/healthz, /readyz, /metrics); null when turned off (0). */
    workerHealthPort: number | null;
    workerHealthHost: string;
    /** Bearer token that /metrics requires; undefined: loopback clients only. */
    metricsToken?: string;
    /** How long /readyz waits for the database and Redis, in ms. */
    readyTimeoutMs: number;
  };
  privacy: {
    /** Days raw storefront events are kept (EVENT_RETENTION_DAYS). */
    eventRetentionDays: number;
    /** When the daily purge runs (cron, UTC). */
    purgeCron: string;
  };
  admin: {
    /** POST /admin/local-session mints session tokens for loopback clients (demo and tests only). */
    localSession: boolean;
  };
  /** Rate and size limits of the public endpoints (docs/security.md); counters live in Redis. */
  limits: {
    /** Recommendations and sponsored requests per shopper address per shop per minute. */
    storefrontPerMinute: number;
    /** Signed webhook deliveries per shop per minute. */
    webhooksPerMinute: number;
    /** Forged webhook deliveries per client address per minute (429 past it, instead of 401). */
    webhookRejectedPerMinute: number;
    /** Largest webhook body, in bytes. */
    webhookBodyBytes: number;
    /** Admin API calls per shop per minute. */
    adminApiPerMinute: number;
    /** Auth, admin page and admin API requests per client address per minute. */
    httpPerMinute: number;
  };
}

/**
 * Validates the environment once, at the process edge. Every missing or malformed setting is
 * reported together, by name, in one ConfigError.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return issue.code === 'invalid_type' && cleaned[name] === undefined
          ? `${name} is required`
          : `${name} ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.SHELFWISE_DATA_DIR);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    shopify: {
      apiKey: e.SHOPIFY_API_KEY,
      apiSecret: e.SHOPIFY_API_SECRET,
      appUrl: e.SHOPIFY_APP_URL,
      scopes: e.SHOPIFY_SCOPES.split(',').map((s) => s.trim()).filter(Boolean),
      apiVersion: e.SHOPIFY_API_VERSION,
      adminApiOrigin: e.SHOPIFY_ADMIN_API_ORIGIN,
    },
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    dataDir,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    tokenEncryptionKey: e.TOKEN_ENCRYPTION_KEY,
    tokenEncryptionKeysPrevious: e.TOKEN_ENCRYPTION_KEYS_PREVIOUS,
    customerIdKey: e.CUSTOMER_ID_KEY,
    http: { host: e.HOST, port: e.PORT },
    ingestConcurrency: e.INGEST_CONCURRENCY,
    webhookDedupeTtlSeconds: e.WEBHOOK_DEDUPE_TTL_SECONDS,
    reconcileCron: e.RECONCILE_CRON,
    train: {
      cron: e.TRAIN_CRON,
      minNewOrders: e.TRAIN_MIN_NEW_ORDERS,
      triggerDelayMs: e.TRAIN_TRIGGER_DELAY_SECONDS * 1000,
      concurrency: e.TRAIN_CONCURRENCY,
    },
    storefront: {
      cacheMs: e.STOREFRONT_CACHE_SECONDS * 1000,
      maxPerVendor: e.STOREFRONT_MAX_PER_VENDOR,
      eventsPerMinute: e.EVENTS_RATE_LIMIT_PER_MINUTE,
      eventMaxAgeSeconds: e.EVENT_MAX_AGE_SECONDS,
    },
    privacy: { eventRetentionDays: e.EVENT_RETENTION_DAYS, purgeCron: e.EVENT_PURGE_CRON },
    admin: { localSession: e.ADMIN_LOCAL_SESSION },
    limits: {
      storefrontPerMinute: e.STOREFRONT_RATE_LIMIT_PER_MINUTE,
      webhooksPerMinute: e.WEBHOOK_RATE_LIMIT_PER_MINUTE,
      webhookRejectedPerMinute: e.WEBHOOK_REJECTED_PER_MINUTE,
      webhookBodyBytes: e.WEBHOOK_BODY_LIMIT_BYTES,
      adminApiPerMinute: e.ADMIN_API_RATE_LIMIT_PER_MINUTE,
      httpPerMinute: e.HTTP_RATE_LIMIT_PER_MINUTE,
    },
    ops: {
      workerHealthPort: e.WORKER_HEALTH_PORT === 0 ? null : e.WORKER_HEALTH_PORT,
      workerHealthHost: e.WORKER_HEALTH_HOST,
      metricsToken: e.METRICS_TOKEN,
      readyTimeoutMs: e.READY_TIMEOUT_MS,
    },
  };
}
