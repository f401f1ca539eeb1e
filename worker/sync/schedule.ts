import type { Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, jobId, QUEUE, syncJob } from '../../shared/queue';

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

/** States in which a job has not started yet and can simply be removed. */
const NOT_STARTED = ['wait', 'delayed', 'prioritized'] as const;

/**
 * Stops a shop's scheduled work after app/uninstalled: removes its reconciliation scheduler
 * and every sync job of the shop that has not started. A job already running finds the shop
 * inactive and stops by itself. Scans the sync queue, which holds a few jobs per shop.
 */
export async function stopShopJobs({ queue, shop }: { queue: Queue; shop: string }): Promise<{ schedulerRemoved: boolean; jobsRemoved: number }> {
  const schedulerRemoved = await queue.removeJobScheduler(reconcileSchedulerId(shop));
  let jobsRemoved = 0;
  for (const job of await queue.getJobs([...NOT_STARTED])) {
    if ((job?.data as { shop?: string } | undefined)?.shop !== shop) continue;
    try {
      await job.remove();
      jobsRemoved += 1;
    } catch {
      // Picked up by a worker in the meantime: it will see the shop inactive.
    }
  }
  return { schedulerRemoved, jobsRemoved };
}
