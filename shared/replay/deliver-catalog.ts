import { openRetailCatalog, type CatalogDelivery, type CatalogCounts } from '../catalog-csv';
import { deliverAll } from './deliver-all';
import type { ProgressLine } from './progress-line';
import type { ReplaySummary } from './replay-summary';
import type { DeliveryOutcome } from './webhook-sender';

/**
 * Deliveries to expect, for the progress line: refunds are matched as they stream, so each
 * cancellation invoice counts as one (most make exactly one refund; some none, a few several).
 */
export function expectedDeliveries(counts: CatalogCounts): number {
  return counts.products + counts.orders + counts.cancellations;
}

/**
 * Reads an Online Retail II file as deliveries (products, then orders and refunds in time
 * order) and hands each to `deliver`: over HTTP for `replay`, to the ingest processor for
 * `import`. Returns what was read, sent and skipped.
 */
export async function deliverCatalog(o: {
  file: string;
  shop: string;
  limit?: number;
  /** Only every N-th customer's rows (readRetailRows). */
  everyNthCustomer?: number;
  concurrency: number;
  deliver: (d: CatalogDelivery) => Promise<DeliveryOutcome>;
  progress?: (expected: number) => ProgressLine;
  now?: () => number;
}): Promise<ReplaySummary> {
  const now = o.now ?? Date.now;
  const started = now();
  const catalog = await openRetailCatalog({ path: o.file, limit: o.limit, everyNthCustomer: o.everyNthCustomer });
  const progress = o.progress?.(expectedDeliveries(catalog.counts));
  const deliveries = await deliverAll<CatalogDelivery>({
    deliveries: catalog.deliveries(),
    concurrency: o.concurrency,
    deliver: o.deliver,
    idOf: (d) => String(d.payload.id),
    onSettled: (tally) => progress?.update(tally),
  });
  progress?.done(deliveries);
  return {
    file: o.file,
    shop: o.shop,
    catalog: catalog.counts,
    deliveries,
    skipped: catalog.plan.skips.summary(),
    elapsedMs: now() - started,
  };
}
