import type { Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, jobId, QUEUE, removeShopJobs, syncJob } from '../../shared/queue';

/** One reconciliation scheduler per shop; the id makes upserting it idempotent. */
export function reconcileSchedulerId(shop: string): string {
  return jobId('reconcile', shop);
}

/** Creates or updates the shop's daily reconciliation sync (cron `pattern`, e.g. `17 3 * * *`). */
export async function scheduleReconcile({ queue, shop, pattern }: { queue: Queue; shop: string; pattern: string }): Promise<void> {
  await queue.upsertJobScheduler(
    reconcileSchedulerId(shop),
    { pattern },
    { name: 'sync', data: syncJob.parse({ shop, reason: 'reconcile' }), opts: DEFAULT_JOB_OPTIONS[QUEUE.sync] },
  );
}

/**
 * Stops a shop's scheduled work after app/uninstalled: removes its reconciliation scheduler
 * and every sync job of the shop that has not started. A job already running finds the shop
 * inactive and stops by itself. Scans the sync queue, which holds a few jobs per shop.
 */
export async function stopShopJobs({ queue, shop }: { queue: Queue; shop: string }): Promise<{ schedulerRemoved: boolean; jobsRemoved: number }> {
  return removeShopJobs({ queue, shop, schedulerId: reconcileSchedulerId(shop) });
}
