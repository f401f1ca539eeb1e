import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import { storefrontEventDeadLetterKey } from '../../shared/tracking';
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
  /** Commands: the storefront events' dead letters are trimmed to the same retention. */
  redis: Redis;
  /** QUEUE_PREFIX. */
  prefix: string;
  /** EVENT_RETENTION_DAYS. */
  retentionDays: number;
  /** EVENT_PURGE_CRON (UTC). */
  cron: string;
  now?: () => Date;
}

/** A purge's result: the database rows, and the dead-lettered storefront event entries trimmed. */
export type PurgeResult = EventPurge & { deadLetters: number };

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
  // Upserted only when missing or changed: an upsert replaces the pending run, and one that came
  // due while no worker ran would be dropped.
  const current = await queue.getJobScheduler(PURGE_EVENTS_JOB);
  if (current?.pattern !== options.cron || current?.tz !== 'UTC') {
    await queue.upsertJobScheduler(
      PURGE_EVENTS_JOB,
      { pattern: options.cron, tz: 'UTC' },
      { name: PURGE_EVENTS_JOB, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 30 } } },
    );
  }
  const worker = new Worker<unknown, PurgeResult>(
    PRIVACY_QUEUE,
    async (job) => {
      if (job.name !== PURGE_EVENTS_JOB) return { before: now(), events: 0, receipts: 0, deadLetters: 0 };
      const purged = await purgeRawEvents(db, { now: now(), retentionDays });
      // Dead letters keep a malformed entry's raw fields (pseudonyms included): no longer than events.
      // Stream entry ids start with their time in milliseconds.
      const deadLetters = await options.redis.xtrim(storefrontEventDeadLetterKey(prefix), 'MINID', String(purged.before.getTime()));
      logger.info({ jobId: job.id, before: purged.before.toISOString(), events: purged.events, receipts: purged.receipts, deadLetters, retentionDays }, 'raw storefront events purged');
      return { ...purged, deadLetters };
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
