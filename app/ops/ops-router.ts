import express, { type Router } from 'express';
import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import type { Db } from '../../shared/db';
import { checkReadiness, metricsAllowed, registerModelAge, registerQueueDepth } from '../../shared/metrics';
import type { Redis } from '../../shared/redis';

export interface OpsRouterOptions {
  db: Db;
  redis: Redis;
  /** The web process's registry (HTTP latency is recorded into it by the app). */
  registry: Registry;
  /** Queues whose depth /metrics reports. */
  queues: Queue[];
  queuePrefix: string;
  /** METRICS_TOKEN: /metrics wants it as a bearer token; unset, loopback clients only. */
  metricsToken?: string;
  /** How long /readyz waits for the database and Redis, in ms. Default 1,000. */
  readyTimeoutMs?: number;
}

/**
 * GET /readyz (503 until PostgreSQL and Redis answer) and GET /metrics (Prometheus text). The
 * liveness probe, /healthz, stays a constant answer: a database outage must take the process out
 * of rotation, not get it restarted.
 */
export function opsRouter({ db, redis, registry, queues, queuePrefix, metricsToken, readyTimeoutMs = 1000 }: OpsRouterOptions): Router {
  registerQueueDepth(registry, queues);
  registerModelAge(registry, { db, redis, prefix: queuePrefix });
  const router = express.Router();
  router.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness({ db, redis, timeoutMs: readyTimeoutMs });
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });
  router.get('/metrics', async (req, res) => {
    if (!metricsAllowed({ authorization: req.headers.authorization, remoteAddress: req.socket.remoteAddress }, metricsToken)) {
      res.status(metricsToken ? 401 : 403).json({ error: metricsToken ? 'unauthorized' : 'forbidden' });
      return;
    }
    // Set as is: res.type() would add a charset Prometheus' content negotiation does not expect.
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  });
  return router;
}
