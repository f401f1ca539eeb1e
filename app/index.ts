import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenCipher } from '../shared/crypto';
import { createRedis, type Redis } from '../shared/redis';
import { recommendationTokenKey } from '../shared/tracking';
import { openQueue, QUEUE } from '../shared/queue';
import type { Runtime } from '../shared/runtime';
import { DbSessionStorage } from './auth';
import { createShopify } from './shopify/app';
import { createWebAppWithProxy } from './web-app';

export { createWebApp } from './web-app';
export { createShopify } from './shopify/app';

/** Starts the web process on the configured host and port (port 0 picks a free one). */
export async function startWebServer(
  runtime: Runtime,
  options: {
    port?: number;
    /** Epoch ms for the app proxy (signature timestamps, caches); tests pass a clock they move. */
    now?: () => number;
    /** The storefront's Redis connection; default: one of its own, auto-pipelined, closed with the server. */
    storefrontRedis?: Redis;
  } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const { config, db, redis, logger } = runtime;
  const sessionStorage = new DbSessionStorage(db, TokenCipher.fromConfig(config));
  const shopify = createShopify({ config, sessionStorage, logger });
  const connection = redis;
  const queues = {
    ingest: openQueue(QUEUE.ingest, { connection, prefix: config.queuePrefix }),
    sync: openQueue(QUEUE.sync, { connection, prefix: config.queuePrefix }),
  };
  // Storefront reads and beacons: many small commands in flight, batched per event-loop tick.
  const ownStorefrontRedis = options.storefrontRedis ? null : createRedis(config.redisUrl, { name: 'shelfwise-storefront', autoPipelining: true });
  const storefrontRedis = options.storefrontRedis ?? ownStorefrontRedis!;
  const { app, proxy } = createWebAppWithProxy({
    shopify,
    db,
    redis,
    queues,
    logger,
    queuePrefix: config.queuePrefix,
    webhookDedupeTtlSeconds: config.webhookDedupeTtlSeconds,
    proxy: {
      customerIdKey: config.customerIdKey,
      tokenKey: recommendationTokenKey(config.tokenEncryptionKey),
      previousTokenKeys: config.tokenEncryptionKeysPrevious.map(recommendationTokenKey),
      storefront: config.storefront,
      now: options.now ?? Date.now,
      redis: storefrontRedis,
    },
    admin: config.admin,
    limits: config.limits,
    ops: { metricsToken: config.ops.metricsToken, readyTimeoutMs: config.ops.readyTimeoutMs },
  });
  // Storefront requests (every page of every shop) go straight to the proxy listener.
  const server = createServer((req, res) => {
    if (!proxy(req, res)) app(req, res);
  });
  server.listen(options.port ?? config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.http.host}:${port}`;
  logger.info({ url }, 'web process listening');
  return {
    url,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // In-flight requests finish; idle keep-alive sockets would otherwise hold close() open.
      server.closeIdleConnections();
      await closed;
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await ownStorefrontRedis?.quit().catch(() => ownStorefrontRedis.disconnect());
    },
  };
}
