import type { Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, jobId, QUEUE, removeShopJobs, trainJob } from '../../../shared/queue';

/**
 * Name of the scheduler's tick. A BullMQ job scheduler cannot deduplicate the jobs it creates,
 * so its tick only asks for a training through enqueueTraining, like every other trigger.
 */
export const TRAIN_SCHEDULE_JOB = 'train-schedule';

/** One training scheduler per shop; the id makes upserting it idempotent. */
export function trainSchedulerId(shop: string): string {
  return jobId('train-schedule', shop);
}

/** Creates or updates the shop's scheduled training (cron `pattern`, e.g. `43 4 * * *`). */
export async function scheduleTraining({ queue, shop, pattern }: { queue: Queue; shop: string; pattern: string }): Promise<void> {
  await queue.upsertJobScheduler(
    trainSchedulerId(shop),
    { pattern },
    {
      name: TRAIN_SCHEDULE_JOB,
      data: trainJob.parse({ shop, reason: 'schedule' }),
      opts: { ...DEFAULT_JOB_OPTIONS[QUEUE.train], removeOnComplete: { age: 24 * 3600, count: 100 } },
    },
  );
}

/**
 * Stops a shop's training after app/uninstalled: removes its scheduler and every train job of
 * the shop that has not started (removing a job also releases its deduplication id). A running
 * one finishes; a run queued after it finds the shop inactive and does nothing.
 */
export async function stopShopTraining({ queue, shop }: { queue: Queue; shop: string }): Promise<{ schedulerRemoved: boolean; jobsRemoved: number }> {
  return removeShopJobs({ queue, shop, schedulerId: trainSchedulerId(shop) });
}
