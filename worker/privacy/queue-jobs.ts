import type { Job, Queue } from 'bullmq';

/** Job states whose jobs can be removed (an active one is running; it is left to finish). */
const REMOVABLE = ['completed', 'failed', 'delayed', 'wait', 'prioritized', 'waiting-children'] as const;
const PAGE = 500;

/**
 * Removes every job of `queue` that `matches`, in every state but active, and returns how many
 * went. Ids are collected first, then removed, so paging is not shifted by the removals. A job
 * that started meanwhile cannot be removed and is skipped.
 */
export async function removeJobs(queue: Queue, matches: (job: Job) => boolean): Promise<number> {
  const doomed: Job[] = [];
  for (let start = 0; ; start += PAGE) {
    const page = await queue.getJobs([...REMOVABLE], start, start + PAGE - 1, true);
    for (const job of page) if (job && matches(job as Job)) doomed.push(job as Job);
    if (page.length < PAGE) break;
  }
  let removed = 0;
  for (const job of doomed) {
    try {
      await job.remove();
      removed++;
    } catch {
      // Taken by a worker in the meantime (active jobs cannot be removed).
    }
  }
  return removed;
}

/** Removes the queue's job schedulers whose id names the shop (`reconcile--shop`, `train-schedule--shop`). */
export async function removeShopSchedulers(queue: Queue, shop: string): Promise<number> {
  let removed = 0;
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    const id = scheduler.key ?? scheduler.id;
    if (id && id.split('--').includes(shop) && (await queue.removeJobScheduler(id))) removed++;
  }
  return removed;
}

/** The job's `shop`, when its data names one (every Shelfwise job does). */
export function jobShop(job: Job): string | undefined {
  const shop = (job.data as { shop?: unknown } | undefined)?.shop;
  return typeof shop === 'string' ? shop : undefined;
}
