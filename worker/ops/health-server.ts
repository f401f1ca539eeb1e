import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import { checkReadiness, metricsAllowed } from '../../shared/metrics';
import type { Redis } from '../../shared/redis';

export interface WorkerHealthServerOptions {
  db: Db;
  redis: Redis;
  registry: Registry;
  logger: Logger;
  port: number;
  host: string;
  /** METRICS_TOKEN: /metrics wants it as a bearer token; unset, loopback clients only. */
  metricsToken?: string;
  /** How long /readyz waits for the database and Redis, in ms. */
  readyTimeoutMs: number;
  /** False once the workers are closing: /readyz answers 503 from then on. */
  running: () => boolean;
}

export interface WorkerHealthServer {
  url: string;
  close(): Promise<void>;
}

function send(res: import('node:http').ServerResponse, status: number, body: string, type = 'application/json') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * The worker's small HTTP server (WORKER_HEALTH_PORT): GET /healthz (the process answers),
 * /readyz (database and Redis answer, workers running; 503 otherwise) and /metrics.
 */
export async function startWorkerHealthServer(options: WorkerHealthServerOptions): Promise<WorkerHealthServer> {
  const { db, redis, registry, logger } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, JSON.stringify({ error: 'method_not_allowed' }));
    if (path === '/healthz') return send(res, 200, JSON.stringify({ ok: true }));
    if (path === '/readyz') {
      checkReadiness({ db, redis, timeoutMs: options.readyTimeoutMs })
        .then((readiness) => {
          const ready = readiness.ready && options.running();
          send(res, ready ? 200 : 503, JSON.stringify({ ...readiness, ready, workers: options.running() ? 'running' : 'stopped' }));
        })
        .catch(() => send(res, 503, JSON.stringify({ ready: false })));
      return;
    }
    if (path === '/metrics') {
      if (!metricsAllowed({ authorization: req.headers.authorization, remoteAddress: req.socket.remoteAddress }, options.metricsToken)) {
        return send(res, options.metricsToken ? 401 : 403, JSON.stringify({ error: options.metricsToken ? 'unauthorized' : 'forbidden' }));
      }
      registry
        .metrics()
        .then((text) => send(res, 200, text, registry.contentType))
        .catch((error) => {
          logger.warn({ err: error }, 'metrics scrape failed');
          send(res, 500, JSON.stringify({ error: 'metrics_unavailable' }));
        });
      return;
    }
    send(res, 404, JSON.stringify({ error: 'not_found' }));
  });
  server.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  logger.info({ url }, 'worker health server listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
