import { Worker, type Job } from 'bullmq';
import { createRedis } from '../shared/redis';
import { openQueue, QUEUE } from '../shared/queue';
import type { Runtime } from '../shared/runtime';
import { createIngestProcessor } from './ingest';
import { createSyncWorker, stopShopJobs } from './sync';

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * Starts the background workers. Each BullMQ worker gets its own blocking connection
 * (maxRetriesPerRequest: null) so a Redis restart stalls jobs instead of failing them.
 */
export async function startWorkers(runtime: Runtime, options: { concurrency?: number } = {}): Promise<RunningWorkers> {
  const { config, logger, db } = runtime;
  const connection = createRedis(config.redisUrl, { forWorker: true, name: 'shelfwise-worker' });
  const syncQueue = openQueue(QUEUE.sync, { connection: runtime.redis, prefix: config.queuePrefix });
  const processIngest = createIngestProcessor({
    db,
    logger,
    customerIdKey: config.customerIdKey,
    // An uninstalled shop's scheduled reconcile and queued syncs stop; a reinstall re-creates them.
    onShopUninstalled: async (shop) => {
      const stopped = await stopShopJobs({ queue: syncQueue, shop });
      logger.info({ shop, ...stopped }, 'shop uninstalled: jobs stopped');
    },
  });

  const ingest = new Worker(QUEUE.ingest, (job: Job) => processIngest(job.data), {
    connection,
    prefix: config.queuePrefix,
    concurrency: options.concurrency ?? config.ingestConcurrency,
  });
  const workers = [ingest, createSyncWorker({ config, db, logger, connection })];
  for (const worker of workers) {
    worker.on('error', (error) => logger.error({ err: error, queue: worker.name }, 'worker error'));
    worker.on('failed', (job, error) =>
      logger.warn({ queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, reason: error.message }, 'job failed'),
    );
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  logger.info({ queues: workers.map((w) => w.name) }, 'workers running');
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await syncQueue.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
