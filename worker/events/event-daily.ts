import type { DailyCount } from './daily-counts';

/** One row's increment of `storefront_event_daily` (storefront_event_counts without the product). */
export interface EventDaily {
  shop: string;
  /** UTC day of the event's time, `YYYY-MM-DD` (the day of its counts rows). */
  day: string;
  placement: string;
  /** '' when no model served the list. */
  model_version: string;
  sponsored: boolean;
  impressions: number;
  clicks: number;
  add_to_carts: number;
}

/**
 * Folds count rows over their products and types into daily rows. Built from the very rows
 * written to storefront_event_counts, so each daily row stays the sum of its counts rows (the
 * same newly received events, the same day). Summed before the upsert, as dailyCounts is.
 */
export function eventDaily(counts: readonly DailyCount[]): EventDaily[] {
  const rows = new Map<string, EventDaily>();
  for (const c of counts) {
    const key = eventDailyKey(c);
    let row = rows.get(key);
    if (!row) {
      row = { shop: c.shop, day: c.day, placement: c.placement, model_version: c.model_version, sponsored: c.sponsored, impressions: 0, clicks: 0, add_to_carts: 0 };
      rows.set(key, row);
    }
    if (c.type === 'impression') row.impressions += c.count;
    else if (c.type === 'click') row.clicks += c.count;
    else row.add_to_carts += c.count;
  }
  return [...rows.values()];
}

/** The row's key, in a fixed order (rows are locked sorted by it). */
export function eventDailyKey(r: Pick<EventDaily, 'shop' | 'day' | 'placement' | 'model_version' | 'sponsored'>): string {
  return [r.shop, r.day, r.placement, r.model_version, r.sponsored ? '1' : '0'].join('\u0000');
}
