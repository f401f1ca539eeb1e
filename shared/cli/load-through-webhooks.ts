import { createProgressLine, runReplay, type ReplaySummary } from '../replay';
import type { Runtime } from '../runtime';
import { waitForIngestDrained, type FailedIngestJob } from './ingest-drain';
import { storeCounts, type StoreCounts } from './store-counts';

export interface LoadResult {
  replay: ReplaySummary;
  counts: StoreCounts;
  failedJobs: FailedIngestJob[];
  /** From the first delivery sent to the last row written. */
  elapsedMs: number;
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
  /** Only every N-th customer's rows (readRetailRows). */
  everyNthCustomer?: number;
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
    everyNthCustomer: o.everyNthCustomer,
    concurrency: o.concurrency ?? 16,
    progress: o.progress ? (total) => createProgressLine({ stream: process.stderr, total }) : undefined,
  });
  const failedJobs = await waitForIngestDrained({ redis: o.runtime.redis, queuePrefix: o.runtime.config.queuePrefix, timeoutMs: 30 * 60_000 });
  return { replay, counts: await storeCounts(o.runtime.db, o.shop), failedJobs, elapsedMs: Date.now() - started };
}
