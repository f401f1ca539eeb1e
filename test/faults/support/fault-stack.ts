import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { startWebServer } from '../../../app';
import { loadConfig, type Config } from '../../../shared/config';
import { openQueue, QUEUE } from '../../../shared/queue';
import { openRuntime, type Runtime } from '../../../shared/runtime';
import { TEST_SECRET } from '../../support/config';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';
import { startPrivateRedis, type PrivateRedis } from './private-redis';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

export interface FaultStack {
  redis: PrivateRedis;
  postgres: PrivatePostgres;
  /** The environment both processes read (as an operator would set it). */
  env: Record<string, string>;
  config: Config;
  /** The web process (in this process): its runtime's db is also how the test reads the store. */
  web: { url: string; runtime: Runtime };
  worker: WorkerProcess;
  queues: { ingest: Queue; train: Queue };
  /** Starts another `shelfwise worker` on the same services. */
  startWorker(): Promise<WorkerProcess>;
  close(): Promise<void>;
}

/**
 * The whole system on services the test may break: a private PostgreSQL and a private Redis
 * (appendonly, fsync always), the web process listening on a free port, and the real
 * `shelfwise worker` in a child process.
 */
export async function startFaultStack(overrides: Record<string, string> = {}): Promise<FaultStack> {
  const [redis, postgres] = await Promise.all([startPrivateRedis(), startPrivatePostgres()]);
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    SHOPIFY_API_KEY: 'fault-api-key',
    SHOPIFY_API_SECRET: TEST_SECRET,
    SHOPIFY_APP_URL: 'http://127.0.0.1:3000',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    CUSTOMER_ID_KEY: 'fault-customer-id-key-0123456789',
    QUEUE_PREFIX: `f${randomUUID().slice(0, 8)}`,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    PORT: '0',
    // No training triggered by the deliveries: the tests start the runs they watch.
    TRAIN_MIN_NEW_ORDERS: '1000000',
    ...overrides,
  };
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  const runtime = await openRuntime(config, 'web');
  const server = await startWebServer(runtime, { port: 0 });
  const queues = {
    ingest: openQueue(QUEUE.ingest, { connection: runtime.redis, prefix: config.queuePrefix }),
    train: openQueue(QUEUE.train, { connection: runtime.redis, prefix: config.queuePrefix }),
  };
  // Errors while a service is down are the point of the test; the queues reconnect by themselves.
  for (const queue of Object.values(queues)) queue.on('error', () => undefined);
  const workers: WorkerProcess[] = [];
  const startWorker = async () => {
    const worker = await startWorkerProcess(env);
    workers.push(worker);
    return worker;
  };
  const worker = await startWorker();
  return {
    redis,
    postgres,
    env,
    config,
    web: { url: server.url, runtime },
    worker,
    queues,
    startWorker,
    async close() {
      await Promise.all(workers.map((w) => w.kill('SIGKILL')));
      await server.close();
      await Promise.all([queues.ingest.close(), queues.train.close()]);
      await runtime.close();
      await Promise.all([redis.stop(), postgres.stop()]);
    },
  };
}

/** Polls until the ingest queue has nothing waiting, active or delayed. */
export async function ingestDrained(queue: Queue, ms = 120_000, workers: WorkerProcess[] = []): Promise<{ failed: number; completed: number }> {
  const until = Date.now() + ms;
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
    if (!counts.waiting && !counts.active && !counts.delayed && !counts.prioritized) return { failed: counts.failed ?? 0, completed: counts.completed ?? 0 };
    if (Date.now() > until) {
      const states = workers.map((w) => `worker ${w.pid}: ${w.ended() === undefined ? 'running' : `ended ${w.ended()}`}\n${w.output()}`);
      throw new Error(`ingest not drained in ${ms} ms: ${JSON.stringify(counts)}\n${states.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
