import type { Job, JobsOptions, Queue } from 'bullmq';
import { jobId, trainJob, type TrainReason } from '../../../shared/queue';

/** Name of a training run on the `train` queue. */
export const TRAIN_JOB = 'train';

/** The shop's deduplication id: at most one training of a shop waits, whatever asked for it. */
export function trainDeduplicationId(shop: string): string {
  return jobId('train', shop);
}

export interface EnqueueTrainingOptions {
  /** The `train` queue. */
  queue: Queue;
  shop: string;
  reason: TrainReason;
  /** Train even if the data did not change. */
  force?: boolean;
  /**
   * Wait this long before the run (ms), so a burst of orders trains once. A delayed run is
   * replaced by a request without delay; a delayed request never postpones one already queued.
   */
  delayMs?: number;
  /** Overrides of the queue's default attempts and backoff (tests shorten the backoff). */
  jobOptions?: Pick<JobsOptions, 'attempts' | 'backoff'>;
}

/**
 * Queues a training run of the shop, deduplicated per shop: while one waits (or waits out a
 * retry's backoff) another request is a no-op and returns the waiting job, except that a request
 * without delay replaces a delayed one (an install or a manual run does not wait out a trigger's
 * delay); while one runs, the latest request is kept and queued when the running one finishes
 * (`keepLastIfActive`), so orders that arrived during a fit are never left untrained and two fits
 * of one shop never run at once. Finished jobs are kept for inspection and do not block the next.
 */
export async function enqueueTraining({ queue, shop, reason, force, delayMs = 0, jobOptions }: EnqueueTrainingOptions): Promise<Job> {
  const data = trainJob.parse({ shop, reason, ...(force ? { force } : {}) });
  return queue.add(TRAIN_JOB, data, {
    ...jobOptions,
    ...(delayMs > 0 ? { delay: delayMs } : {}),
    deduplication: { id: trainDeduplicationId(shop), keepLastIfActive: true, ...(delayMs > 0 ? {} : { replace: true }) },
  });
}
