import type { StorefrontEventEntry } from '../../shared/tracking';

/** One row's increment of `storefront_event_counts`. */
export interface DailyCount {
  shop: string;
  /** UTC day of the event's time, `YYYY-MM-DD`. */
  day: string;
  placement: string;
  type: StorefrontEventEntry['type'];
  product_id: string;
  /** '' when no model served the list (the column is part of the key, so never null). */
  model_version: string;
  sponsored: boolean;
  count: number;
}

/**
 * Sums events into their daily count rows. Summed before the upsert because PostgreSQL refuses
 * an `on conflict do update` that touches the same row twice in one statement.
 */
export function dailyCounts(entries: readonly StorefrontEventEntry[]): DailyCount[] {
  const rows = new Map<string, DailyCount>();
  for (const e of entries) {
    const day = new Date(e.occurred_at).toISOString().slice(0, 10);
    const modelVersion = e.model_version ?? '';
    const key = [e.shop, day, e.placement, e.type, e.product_id, modelVersion, e.sponsored ? '1' : '0'].join('\u0000');
    const row = rows.get(key);
    if (row) row.count++;
    else rows.set(key, { shop: e.shop, day, placement: e.placement, type: e.type, product_id: e.product_id, model_version: modelVersion, sponsored: e.sponsored, count: 1 });
  }
  return [...rows.values()];
}
