import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { QUEUE, type QueueName } from './names';

/** Retries with backoff for transient faults; a malformed job fails for good on its own. */
export const DEFAULT_JOB_OPTIONS: Record<QueueName, JobsOptions> = {
  [QUEUE.ingest]: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
  [QUEUE.sync]: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 30_000 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
  // A crashed or killed fit retries twice, 30 s then 60 s later; a shop has one queued at a time
  // through deduplication, so kept finished jobs never block the next run.
  [QUEUE.train]: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 30_000 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
};

export function openQueue(name: QueueName, options: { connection: ConnectionOptions; prefix: string }): Queue {
  return new Queue(name, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS[name],
  });
}
