import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import { purgeRawEvents, type EventPurge } from './purge-events';

/** The worker's privacy queue: app-wide housekeeping, not per shop. */
export const PRIVACY_QUEUE = 'privacy';
/** The daily purge's job scheduler id and job name (one scheduler for the app, whatever the workers). */
export const PURGE_EVENTS_JOB = 'purge-raw-events';

export interface PurgeJobOptions {
  db: Db;
  logger: Logger;
  /** A worker connection (maxRetriesPerRequest: null). */
  connection: ConnectionOptions;
  /** QUEUE_PREFIX. */
  prefix: string;
  /** EVENT_RETENTION_DAYS. */
  retentionDays: number;
  /** EVENT_PURGE_CRON (UTC). */
  cron: string;
  now?: () => Date;
}

export interface PurgeJob {
  queue: Queue;
  worker: Worker;
  close(): Promise<void>;
}

/**
 * The daily purge of raw storefront events past their retention: one job scheduler for the app
 * (upserting it from every worker process is idempotent), run by whichever worker takes it. A
 * failed purge retries with backoff; the next day's run catches up on anything missed.
 */
export async function startPurgeJob(options: PurgeJobOptions): Promise<PurgeJob> {
  const { db, logger, connection, prefix, retentionDays, now = () => new Date() } = options;
  const queue = new Queue(PRIVACY_QUEUE, { connection, prefix });
  await queue.upsertJobScheduler(
    PURGE_EVENTS_JOB,
    { pattern: options.cron, tz: 'UTC' },
    { name: PURGE_EVENTS_JOB, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 30 } } },
  );
  const worker = new Worker<unknown, EventPurge>(
    PRIVACY_QUEUE,
    async (job) => {
      if (job.name !== PURGE_EVENTS_JOB) return { before: now(), events: 0, receipts: 0 };
      const purged = await purgeRawEvents(db, { now: now(), retentionDays });
      logger.info({ jobId: job.id, before: purged.before.toISOString(), events: purged.events, receipts: purged.receipts, retentionDays }, 'raw storefront events purged');
      return purged;
    },
    { connection, prefix, concurrency: 1 },
  );
  worker.on('error', (error) => logger.error({ err: error, queue: PRIVACY_QUEUE }, 'worker error'));
  await worker.waitUntilReady();
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
