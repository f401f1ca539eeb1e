import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { DbSessionStorage } from '../../../../app/auth';
import { createShopify } from '../../../../app/shopify/app';
import { createWebAppWithProxy, DEFAULT_LIMITS } from '../../../../app/web-app';
import type { Config } from '../../../../shared/config';
import { TokenCipher } from '../../../../shared/crypto';
import type { Logger } from '../../../../shared/logger';
import { openQueue, QUEUE } from '../../../../shared/queue';
import type { Runtime } from '../../../../shared/runtime';
import { recommendationTokenKey } from '../../../../shared/tracking';

/** A pino logger whose lines the test can read (JSON, one object per line). */
export function capturingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/**
 * The web process as app/index.ts composes it (proxy listener in front of Express), with the
 * limits and the logger the test chooses, on a free loopback port.
 */
export async function startLimitedServer(
  runtime: Runtime,
  { limits = {}, logger = runtime.logger, now = Date.now }: { limits?: Partial<Config['limits']>; logger?: Logger; now?: () => number } = {},
) {
  const { config, db, redis } = runtime;
  const shopify = createShopify({ config, sessionStorage: new DbSessionStorage(db, new TokenCipher(config.tokenEncryptionKey)), logger });
  const queues = {
    ingest: openQueue(QUEUE.ingest, { connection: redis, prefix: config.queuePrefix }),
    sync: openQueue(QUEUE.sync, { connection: redis, prefix: config.queuePrefix }),
  };
  const { app, proxy } = createWebAppWithProxy({
    shopify,
    db,
    redis,
    queues,
    logger,
    queuePrefix: config.queuePrefix,
    webhookDedupeTtlSeconds: config.webhookDedupeTtlSeconds,
    proxy: { customerIdKey: config.customerIdKey, tokenKey: recommendationTokenKey(config.tokenEncryptionKey), storefront: config.storefront, now },
    admin: config.admin,
    limits: { ...DEFAULT_LIMITS, ...limits },
  });
  const server = createServer((req, res) => {
    if (!proxy(req, res)) app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    queues,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await Promise.all([queues.ingest.close(), queues.sync.close()]);
    },
  };
}
