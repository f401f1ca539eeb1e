import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

const hexOrBase64Key = z
  .string()
  .transform((value, ctx) => {
    const bytes = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (bytes.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'must be 32 bytes, as 64 hex characters or base64' });
      return z.NEVER;
    }
    return bytes;
  });

/** A comma-separated list of keys as hexOrBase64Key reads each one; empty when unset. */
const keyList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const keys: Buffer[] = [];
    for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
      const parsed = hexOrBase64Key.safeParse(part);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: `key ${keys.length + 1} must be 32 bytes, as 64 hex characters or base64` });
        return z.NEVER;
      }
      keys.push(parsed.data);
    }
    return keys;
  });

const port = z.coerce.number().int().min(0).max(65535);

const cronPattern = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((pattern) => {
      try {
        CronExpressionParser.parse(pattern);
        return true;
      } catch {
        return false;
      }
    }, 'must be a cron pattern (minute hour day month weekday)');

/** Every setting Shelfwise reads from the environment; `.env.example` documents each one. */
export const envSchema = z
  .object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  SHOPIFY_API_KEY: z.string().min(1),
  SHOPIFY_API_SECRET: z.string().min(1),
  SHOPIFY_APP_URL: z.url(),
  SHOPIFY_SCOPES: z.string().default('read_products,read_orders,read_all_orders,write_app_proxy'),
  SHOPIFY_API_VERSION: z.string().regex(/^\d{4}-\d{2}$/).default('2026-07'),
  /** Send Admin API calls here instead of https://{shop}: the local stand-in in development and tests. */
  SHOPIFY_ADMIN_API_ORIGIN: z.url().optional(),

  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SHELFWISE_DATA_DIR: z.string().min(1).default('./.shelfwise'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('shelfwise'),

  TOKEN_ENCRYPTION_KEY: hexOrBase64Key,
  /** Keys tokens may still be sealed with during a rotation (docs/privacy.md): opened, never used to seal. */
  TOKEN_ENCRYPTION_KEYS_PREVIOUS: keyList,
  CUSTOMER_ID_KEY: z.string().min(16, 'must be at least 16 characters'),

  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  WEBHOOK_DEDUPE_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
  RECONCILE_CRON: cronPattern('17 3 * * *'),
  /** Daily, after the reconciliation sync, so each shop trains on a reconciled store. */
  TRAIN_CRON: cronPattern('43 4 * * *'),
  TRAIN_MIN_NEW_ORDERS: z.coerce.number().int().min(1).max(1_000_000).default(25),
  TRAIN_TRIGGER_DELAY_SECONDS: z.coerce.number().int().min(0).max(24 * 3600).default(300),
  TRAIN_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),

  /** How long the web process keeps a shop's catalog and merchant rules in memory before re-reading them. */
  STOREFRONT_CACHE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Most products one vendor may fill in a block (a block's own setting may lower it). */
  STOREFRONT_MAX_PER_VENDOR: z.coerce.number().int().min(1).max(50).default(2),
  /** Storefront events accepted per visitor (or per address without consent) per minute. */
  EVENTS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(240),
  /** Events older than this (by their token's issue time) are rejected as stale, in seconds. */
  EVENT_MAX_AGE_SECONDS: z.coerce.number().int().min(60).default(24 * 3600),
  /** Days raw storefront events (one row per event) are kept; the daily counts stay. */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** When the worker purges raw events older than EVENT_RETENTION_DAYS (cron, UTC). */
  EVENT_PURGE_CRON: cronPattern('11 2 * * *'),

  /** Recommendations and sponsored slots answered per shopper address per shop per minute (app proxy). */
  STOREFRONT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Signed webhook deliveries accepted per shop per minute; Shopify retries the rest later. */
  WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(30_000),
  /** Forged webhook deliveries per client address per minute before 429 (a verified one is never refused by address). */
  WEBHOOK_REJECTED_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Largest webhook body accepted, in bytes (413 above it, nothing enqueued). */
  WEBHOOK_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(5 * 1024 * 1024),
  /** Admin API calls per shop per minute (after the session token is verified). */
  ADMIN_API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Requests per client address per minute to auth, the admin page and the admin API (before authentication). */
  HTTP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),

  /**
   * Standalone admin (demo, tests): POST /admin/local-session mints session tokens for loopback
   * clients, so the admin page works outside the Shopify admin. Never in production.
   */
  /** The worker's health server (/healthz, /readyz, /metrics); 0 turns it off. */
  WORKER_HEALTH_PORT: port.default(3001),
  WORKER_HEALTH_HOST: z.string().default('127.0.0.1'),
  /** Bearer token for /metrics; unset: /metrics answers loopback clients only. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** How long /readyz waits for the database and Redis before answering 503, in ms. */
  READY_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(1000),

  ADMIN_LOCAL_SESSION: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  })
  .refine((env) => !(env.NODE_ENV === 'production' && env.SHOPIFY_ADMIN_API_ORIGIN), {
    // It would send OAuth codes and access tokens somewhere other than the shop.
    message: 'is for development and tests only; unset it in production',
    path: ['SHOPIFY_ADMIN_API_ORIGIN'],
  })
  .refine((env) => !(env.NODE_ENV === 'production' && env.ADMIN_LOCAL_SESSION), {
    // It lets anyone on the machine act as any installed shop's merchant.
    message: 'is for the demo and tests only; unset it in production',
    path: ['ADMIN_LOCAL_SESSION'],
  })
  .refine((env) => env.EVENT_MAX_AGE_SECONDS <= env.EVENT_RETENTION_DAYS * 86_400, {
    // Receipts (which dedupe redelivered beacons) go with the retention: an event the endpoint
    // still accepts after its receipt was purged would be counted twice.
    message: 'must not exceed EVENT_RETENTION_DAYS (in seconds): events are deduplicated only while their receipts are kept',
    path: ['EVENT_MAX_AGE_SECONDS'],
  });

export type Env = z.input<typeof envSchema>;
