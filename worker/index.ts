import { Worker, type Job } from 'bullmq';
import { createRedis } from '../shared/redis';
import { recommendationTokenKeys } from '../shared/tracking';
import { createOrderAttribution } from './attribution';
import { deleteServing } from '../shared/serving';
import { openQueue, QUEUE, type SyncJob } from '../shared/queue';
import type { Runtime } from '../shared/runtime';
import { startEventsConsumer, type EventsConsumer } from './events';
import { createIngestProcessor } from './ingest';
import { startPurgeJob } from './privacy';
import { createSyncWorker, restoreShopSchedules, stopShopJobs, type SyncOutcome } from './sync';
import { createWorkerMetrics, jobLogger, watchJobs, type WorkerMetrics } from './ops';
import { createNewOrdersTrigger, createTrainWorker, enqueueTraining, scheduleTraining, stopShopTraining } from './train/queue';

export interface RunningWorkers {
  workers: Worker[];
  /** The storefront events consumer (not a BullMQ worker: it reads a Redis stream). */
  events: EventsConsumer;
  /** The worker's metrics registry (served on WORKER_HEALTH_PORT by the CLI). */
  metrics: WorkerMetrics;
  /** True from start until close begins: the health server's readiness. */
  running(): boolean;
  close(): Promise<void>;
}

/** How long a shutdown lets a running fit finish before killing it and re-queueing its job. */
const TRAIN_SHUTDOWN_GRACE_MS = 5_000;

/**
 * Starts the background workers. Each BullMQ worker gets its own blocking connection
 * (maxRetriesPerRequest: null) so a Redis restart stalls jobs instead of failing them.
 */
export async function startWorkers(runtime: Runtime, options: { concurrency?: number; metrics?: WorkerMetrics } = {}): Promise<RunningWorkers> {
  const { config, logger, db } = runtime;
  const connection = createRedis(config.redisUrl, { forWorker: true, name: 'shelfwise-worker' });
  const syncQueue = openQueue(QUEUE.sync, { connection: runtime.redis, prefix: config.queuePrefix });
  const trainQueue = openQueue(QUEUE.train, { connection: runtime.redis, prefix: config.queuePrefix });
  // Read only, for the queue-depth gauge: the web process adds the ingest jobs.
  const ingestQueue = openQueue(QUEUE.ingest, { connection: runtime.redis, prefix: config.queuePrefix });
  const metrics = options.metrics ?? createWorkerMetrics();
  metrics.watchQueues([ingestQueue, syncQueue, trainQueue], { db, redis: runtime.redis, prefix: config.queuePrefix });
  const newOrders = createNewOrdersTrigger({ redis: runtime.redis, queue: trainQueue, prefix: config.queuePrefix, threshold: config.train.minNewOrders, delayMs: config.train.triggerDelayMs });
  // Every stored order and refund re-attributes its order (docs/attribution.md).
  const attribution = createOrderAttribution({ db, tokenKey: recommendationTokenKeys(config), customerIdKey: config.customerIdKey });
  const processIngest = createIngestProcessor({
    db,
    logger,
    customerIdKey: config.customerIdKey,
    // Compliance topics erase Redis keys and kept jobs too (docs/privacy.md).
    privacy: { redis: runtime.redis, prefix: config.queuePrefix, queues: [ingestQueue, syncQueue, trainQueue] },
    attributeOrder: attribution.attributeOrder,
    // An uninstalled shop's scheduled reconcile, training and queued jobs stop; a reinstall re-creates them.
    onShopUninstalled: async (shop) => {
      const sync = await stopShopJobs({ queue: syncQueue, shop });
      const train = await stopShopTraining({ queue: trainQueue, shop });
      await newOrders.reset(shop);
      // The storefront stops calling an uninstalled app: its published lists go too.
      const servingKeys = await deleteServing({ redis: runtime.redis, prefix: config.queuePrefix, shop });
      logger.info({ shop, sync, train, servingKeys }, 'shop uninstalled: jobs stopped, published lists deleted');
    },
    onOrderCreated: async (shop) => {
      const counted = await newOrders.countOrder(shop);
      if (counted.fired) logger.info({ shop, orders: counted.count, jobId: counted.jobId }, 'new orders: training queued');
    },
  });

  const ingest = new Worker(QUEUE.ingest, (job: Job) => processIngest(job.data, jobLogger(logger, QUEUE.ingest, job)), {
    connection,
    prefix: config.queuePrefix,
    concurrency: options.concurrency ?? config.ingestConcurrency,
  });
  const train = createTrainWorker({ config, db, redis: runtime.redis, logger, connection });
  const sync = createSyncWorker({ config, db, logger, connection, attribution });
  // A synced shop trains on a schedule; its first sync after an install also queues a first run.
  sync.on('completed', (job: Job<SyncJob>, outcome: SyncOutcome) => {
    if (!outcome?.ok) return;
    const shop = outcome.shop;
    (async () => {
      await scheduleTraining({ queue: trainQueue, shop, pattern: config.train.cron });
      if (job.data.reason === 'install') await enqueueTraining({ queue: trainQueue, shop, reason: 'install' });
    })().catch((error) => logger.error({ err: error, shop }, 'training not scheduled after sync'));
  });
  const workers = [train.worker, ingest, sync];
  for (const worker of workers) {
    worker.on('error', (error) => logger.error({ err: error, queue: worker.name }, 'worker error'));
    watchJobs(worker, { durations: metrics.jobDurations, logger });
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  // Daily purge of raw storefront events past EVENT_RETENTION_DAYS (docs/privacy.md).
  const purge = await startPurgeJob({ db, logger, connection, redis: runtime.redis, prefix: config.queuePrefix, retentionDays: config.privacy.eventRetentionDays, cron: config.privacy.purgeCron });
  // Its own blocking connection: XREADGROUP holds it while waiting for events.
  const eventsConnection = createRedis(config.redisUrl, { forWorker: true, name: 'shelfwise-events' });
  const events = await startEventsConsumer({ connection: eventsConnection, redis: runtime.redis, db, logger, prefix: config.queuePrefix });
  logger.info({ queues: workers.map((w) => w.name) }, 'workers running');
  // Schedulers live only in Redis: a Redis that lost its data gets them back at the next start.
  // Not a reason to stop the workers: logged, and tried again at the next start.
  const schedulesRestored = restoreShopSchedules({ db, syncQueue, trainQueue, reconcileCron: config.reconcileCron, trainCron: config.train.cron })
    .then((created) => {
      if (created.reconcile || created.train) logger.info({ created }, 'missing shop schedulers re-created');
    })
    .catch((error) => logger.error({ err: error }, 'shop schedulers not restored'));
  let running = true;
  return {
    workers,
    events,
    metrics,
    running: () => running,
    async close() {
      running = false;
      await schedulesRestored;
      // Training first: a fit that outlasts the grace is killed and its job waits for the next start.
      await train.close({ graceMs: TRAIN_SHUTDOWN_GRACE_MS });
      await Promise.all([ingest.close(), sync.close(), events.close(), purge.close()]);
      await Promise.all([syncQueue.close(), trainQueue.close(), ingestQueue.close()]);
      await connection.quit().catch(() => connection.disconnect());
      await eventsConnection.quit().catch(() => eventsConnection.disconnect());
    },
  };
}
