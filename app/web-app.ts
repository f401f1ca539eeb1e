import express, { type Express } from 'express';
import type { Queue } from 'bullmq';
import type { Db } from '../shared/db';
import type { Logger } from '../shared/logger';
import type { Redis } from '../shared/redis';
import type { Config } from '../shared/config';
import { adminApiRouter, adminPageRouter, localSessionRouter, requireSessionToken } from './admin';
import { adminContext } from './admin/session-token';
import { authRouter } from './auth';
import { createProxyListener, type ProxyDeps, type ProxyListener } from './proxy';
import { errorHandler } from './http/error-handler';
import { authQueryGuard } from './http/auth-query-guard';
import { hideLibraryErrors } from './http/library-errors';
import { perMinute, RateLimiter } from './http/rate-limit';
import { byAddress, rateLimit } from './http/rate-limit-middleware';
import { securityHeaders } from './http/security-headers';
import { opsRouter } from './ops';
import { createMetricsRegistry, registerHttpLatency } from '../shared/metrics';
import type { Registry } from 'prom-client';
import { AUTH_CALLBACK_PATH, AUTH_PATH, WEBHOOK_PATH, type Shopify } from './shopify/app';
import { DeliveryDedupe } from './webhooks/dedupe';
import { webhookRouter } from './webhooks/route';

export interface WebAppDeps {
  shopify: Shopify;
  db: Db;
  redis: Redis;
  queues: { ingest: Queue; sync: Queue };
  logger: Logger;
  queuePrefix: string;
  webhookDedupeTtlSeconds: number;
  /** The app-proxy storefront endpoints' settings (the rest comes from the deps above). */
  proxy: Pick<ProxyDeps, 'customerIdKey' | 'tokenKey' | 'previousTokenKeys' | 'storefront' | 'now'> & {
    /** A connection of its own for the storefront (auto-pipelined); default: `redis`. */
    redis?: Redis;
  };
  /** /readyz and /metrics (docs/operations.md): METRICS_TOKEN, READY_TIMEOUT_MS, a registry to share. */
  ops?: { metricsToken?: string; readyTimeoutMs?: number; registry?: Registry };
  /** The admin page's standalone mode: POST /admin/local-session (ADMIN_LOCAL_SESSION); default off. */
  admin?: { localSession: boolean };
  /** Rate and size limits (docs/security.md); default: the settings' defaults. */
  limits?: Config['limits'];
}

/** The limits when the caller gives none: the defaults of the settings (shared/config/schema.ts). */
export const DEFAULT_LIMITS: Config['limits'] = {
  storefrontPerMinute: 600,
  webhooksPerMinute: 30_000,
  webhookRejectedPerMinute: 60,
  webhookBodyBytes: 5 * 1024 * 1024,
  adminApiPerMinute: 600,
  httpPerMinute: 600,
};

/** The Express app and, beside it, the app-proxy listener that serves the storefront without it. */
export interface WebApp {
  app: Express;
  /** Handles `/proxy/*` on plain node:http; `app` also routes there, for servers made from `app` alone. */
  proxy: ProxyListener;
}

/** The Express app: webhooks first (raw body), then the app proxy, then auth, then everything else. */
export function createWebApp(deps: WebAppDeps): Express {
  return createWebAppWithProxy(deps).app;
}

/** createWebApp plus its proxy listener, for a server that puts the listener in front. */
export function createWebAppWithProxy(deps: WebAppDeps): WebApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(securityHeaders());
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const limiter = (redis: Redis) =>
    new RateLimiter({
      redis,
      prefix: deps.queuePrefix,
      addressKey: deps.proxy.customerIdKey,
      now: deps.proxy.now,
      onError: (error) => deps.logger.warn({ err: error }, 'rate limit not counted (Redis); request let through'),
    });
  const counters = limiter(deps.redis);

  const metrics = deps.ops?.registry ?? createMetricsRegistry('web');
  const httpLatency = registerHttpLatency(metrics);
  app.use((req, res, next) => {
    httpLatency.observe(req, res);
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(
    opsRouter({
      db: deps.db,
      redis: deps.redis,
      registry: metrics,
      queues: [deps.queues.ingest, deps.queues.sync],
      queuePrefix: deps.queuePrefix,
      metricsToken: deps.ops?.metricsToken,
      readyTimeoutMs: deps.ops?.readyTimeoutMs,
    }),
  );

  app.use(
    webhookRouter({
      apiSecret: deps.shopify.api.config.apiSecretKey,
      dedupe: new DeliveryDedupe(deps.redis, deps.queuePrefix, deps.webhookDedupeTtlSeconds),
      ingestQueue: deps.queues.ingest,
      logger: deps.logger,
      path: WEBHOOK_PATH,
      bodyLimitBytes: limits.webhookBodyBytes,
      limits: {
        limiter: counters,
        perShop: perMinute('webhooks', limits.webhooksPerMinute),
        rejected: perMinute('webhooks-rejected', limits.webhookRejectedPerMinute),
      },
    }),
  );

  const storefront = createProxyListener({
    apiSecret: deps.shopify.api.config.apiSecretKey,
    db: deps.db,
    redis: deps.redis,
    logger: deps.logger,
    queuePrefix: deps.queuePrefix,
    ...deps.proxy,
  }, { limits: { limiter: limiter(deps.proxy.redis ?? deps.redis), readsPerAddress: perMinute('storefront', limits.storefrontPerMinute) } });
  // Storefront requests skip Express in the server (app/index.ts): time them here.
  const proxy: ProxyListener = (req, res) => {
    httpLatency.observe(req, res);
    return storefront(req, res);
  };
  app.use((req, res, next) => {
    if (!proxy(req, res)) next();
  });

  // Everything below (auth, admin API and page, local sessions, 404s) counts per client address.
  app.use(rateLimit(counters, perMinute('http', limits.httpPerMinute), byAddress));
  app.get([AUTH_PATH, AUTH_CALLBACK_PATH], authQueryGuard(deps.shopify));
  app.use([AUTH_PATH, AUTH_CALLBACK_PATH], hideLibraryErrors(deps.logger));
  app.use(authRouter({ shopify: deps.shopify, db: deps.db, syncQueue: deps.queues.sync, logger: deps.logger }));
  // The admin API counts per shop, known once the session token verified (the router then trusts it).
  app.use(
    '/api',
    requireSessionToken(deps),
    rateLimit(counters, perMinute('admin-api', limits.adminApiPerMinute), (_req, res) => ({ shop: adminContext(res).shop })),
  );
  app.use(adminApiRouter({ shopify: deps.shopify, db: deps.db, logger: deps.logger, now: deps.proxy.now }));
  const localSession = deps.admin?.localSession ?? false;
  // Token lifetimes are checked against the wall clock, so local sessions are minted on it too.
  if (localSession) app.use(localSessionRouter({ shopify: deps.shopify, db: deps.db, logger: deps.logger, now: Date.now }));
  app.use(adminPageRouter({ shopify: deps.shopify, db: deps.db, localSession }));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  app.use(errorHandler(deps.logger));
  return { app, proxy };
}
