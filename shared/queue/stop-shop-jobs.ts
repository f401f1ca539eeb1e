import type { Queue } from 'bullmq';

/** States in which a job has not started yet and can simply be removed. */
const NOT_STARTED = ['wait', 'delayed', 'prioritized'] as const;

/**
 * After app/uninstalled: removes the shop's job scheduler `schedulerId` from `queue` and every
 * job of the shop that has not started (removing a job also releases its deduplication id). A
 * job already running finds the shop inactive and stops by itself. Scans the queue's waiting
 * jobs, a few per shop.
 */
export async function removeShopJobs({ queue, shop, schedulerId }: { queue: Queue; shop: string; schedulerId: string }): Promise<{ schedulerRemoved: boolean; jobsRemoved: number }> {
  const schedulerRemoved = await queue.removeJobScheduler(schedulerId);
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
