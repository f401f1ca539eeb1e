import type { StorefrontEventEntry } from '../../shared/tracking';

/** One row's increment of `sponsored_event_daily`. */
export interface SponsoredCount {
  shop: string;
  /** UTC day of the event's time, `YYYY-MM-DD` (the day storefront_event_counts uses). */
  day: string;
  campaign_id: string;
  placement: string;
  product_id: string;
  impressions: number;
  clicks: number;
  add_to_carts: number;
}

/**
 * Sums the events of sponsored slots (those whose verified token named a campaign) into their
 * per-campaign daily rows; events without a campaign are not counted here. Summed before the
 * upsert, as dailyCounts is, because one statement may not update a row twice.
 */
export function sponsoredCounts(entries: readonly StorefrontEventEntry[]): SponsoredCount[] {
  const rows = new Map<string, SponsoredCount>();
  for (const e of entries) {
    if (e.campaign_id === undefined) continue;
    const day = new Date(e.occurred_at).toISOString().slice(0, 10);
    const key = sponsoredCountKey({ shop: e.shop, day, campaign_id: e.campaign_id, placement: e.placement, product_id: e.product_id });
    let row = rows.get(key);
    if (!row) {
      row = { shop: e.shop, day, campaign_id: e.campaign_id, placement: e.placement, product_id: e.product_id, impressions: 0, clicks: 0, add_to_carts: 0 };
      rows.set(key, row);
    }
    if (e.type === 'impression') row.impressions++;
    else if (e.type === 'click') row.clicks++;
    else row.add_to_carts++;
  }
  return [...rows.values()];
}

/** The row's key, in a fixed order (rows are locked sorted by it). */
export function sponsoredCountKey(c: Pick<SponsoredCount, 'shop' | 'day' | 'campaign_id' | 'placement' | 'product_id'>): string {
  return [c.shop, c.day, c.campaign_id.padStart(18, '0'), c.placement, c.product_id].join('\u0000');
}
