import { openQueue, QUEUE } from '../queue';
import { createProgressLine, runReplay, type ReplaySummary } from '../replay';
import type { Runtime } from '../runtime';
import { storeCounts, type StoreCounts } from './store-counts';

export interface LoadResult {
  replay: ReplaySummary;
  counts: StoreCounts;
  failedJobs: Array<{ id: string; topic: string; reason: string }>;
  /** From the first delivery sent to the last row written. */
  elapsedMs: number;
}

async function drained(runtime: Runtime, timeoutMs: number): Promise<Array<{ id: string; topic: string; reason: string }>> {
  const queue = openQueue(QUEUE.ingest, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
  try {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      if (Object.values(c).every((n) => n === 0)) break;
      if (Date.now() > until) throw new Error(`ingest queue not drained after ${timeoutMs / 1000} s: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const failed = await queue.getFailed(0, 49);
    return failed.map((j) => ({ id: String(j.id), topic: j.name, reason: j.failedReason }));
  } finally {
    await queue.close();
  }
}

/**
 * The realistic path: the CSV becomes signed Shopify webhooks POSTed to the running web
 * process, which enqueues them for the worker; resolves once the worker has written them all.
 */
export async function loadThroughWebhooks(o: {
  runtime: Runtime;
  webUrl: string;
  csv: string;
  shop: string;
  limit?: number;
  concurrency?: number;
  progress?: boolean;
}): Promise<LoadResult> {
  const started = Date.now();
  const replay = await runReplay({
    file: o.csv,
    url: `${o.webUrl}/webhooks`,
    secret: o.runtime.config.shopify.apiSecret,
    shop: o.shop,
    apiVersion: o.runtime.config.shopify.apiVersion,
    limit: o.limit,
    concurrency: o.concurrency ?? 16,
    progress: o.progress ? (total) => createProgressLine({ stream: process.stderr, total }) : undefined,
  });
  const failedJobs = await drained(o.runtime, 30 * 60_000);
  return { replay, counts: await storeCounts(o.runtime.db, o.shop), failedJobs, elapsedMs: Date.now() - started };
}
