import { openQueue, QUEUE } from '../queue';
import type { Redis } from '../redis';

export interface FailedIngestJob {
  id: string;
  topic: string;
  reason: string;
}

/**
 * Resolves once the ingest queue has nothing waiting, running or delayed (every delivery
 * accepted so far is written or failed for good), with the failed jobs and their reasons.
 */
export async function waitForIngestDrained(o: {
  redis: Redis;
  queuePrefix: string;
  timeoutMs: number;
}): Promise<FailedIngestJob[]> {
  const queue = openQueue(QUEUE.ingest, { connection: o.redis, prefix: o.queuePrefix });
  try {
    const until = Date.now() + o.timeoutMs;
    for (;;) {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      if (Object.values(c).every((n) => n === 0)) break;
      if (Date.now() > until) throw new Error(`ingest queue not drained after ${o.timeoutMs / 1000} s: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const failed = await queue.getFailed(0, 49);
    return failed.map((j) => ({ id: String(j.id), topic: j.name, reason: j.failedReason }));
  } finally {
    await queue.close();
  }
}
