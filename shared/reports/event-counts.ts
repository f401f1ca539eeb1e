import { sql } from 'kysely';
import type { Db } from '../db';
import type { ReportRange } from './range';

/** Storefront events of one group, from the daily rollup (every accepted event, consented or not). */
export interface EventFigures {
  key: string;
  sponsored: boolean;
  impressions: number;
  clicks: number;
  addToCarts: number;
}

const GROUPS = {
  day: { key: sql`day::text`, sponsored: sql`false` },
  placement: { key: sql`placement`, sponsored: sql`sponsored` },
  model: { key: sql`model_version`, sponsored: sql`false` },
} as const;

/**
 * storefront_event_daily of the range summed by day, by (placement, sponsored) or by model version
 * ('' = no model). The rollup is storefront_event_counts without the product, so the sums are the
 * same; `day` is a date, compared with dates so its primary key (shop, day, …) serves the range.
 */
export async function storefrontEventFigures(db: Db, shop: string, range: ReportRange, by: keyof typeof GROUPS): Promise<EventFigures[]> {
  const g = GROUPS[by];
  const { rows } = await sql<{ key: string; sponsored: boolean; impressions: number; clicks: number; add_to_carts: number }>`
    select ${g.key} as key, ${g.sponsored} as sponsored,
      sum(impressions)::bigint as impressions, sum(clicks)::bigint as clicks, sum(add_to_carts)::bigint as add_to_carts
    from storefront_event_daily
    where shop = ${shop} and day >= ${range.from}::date and day <= ${range.to}::date
    group by 1, 2
  `.execute(db);
  return rows.map((r) => ({ key: r.key, sponsored: r.sponsored, impressions: Number(r.impressions), clicks: Number(r.clicks), addToCarts: Number(r.add_to_carts) }));
}

/** Events of sponsored slots per campaign (or per day of one campaign), from sponsored_event_daily. */
export async function sponsoredEventFigures(db: Db, shop: string, range: ReportRange, by: { campaign: true } | { day: true; campaignId: string }): Promise<EventFigures[]> {
  const key = 'campaign' in by ? sql`campaign_id::text` : sql`day`;
  const only = 'campaign' in by ? sql`` : sql`and campaign_id = ${by.campaignId}::bigint`;
  const { rows } = await sql<{ key: string; impressions: number; clicks: number; add_to_carts: number }>`
    select ${key} as key, sum(impressions)::bigint as impressions, sum(clicks)::bigint as clicks, sum(add_to_carts)::bigint as add_to_carts
    from sponsored_event_daily
    where shop = ${shop} and day >= ${range.from} and day <= ${range.to} ${only}
    group by 1
  `.execute(db);
  return rows.map((r) => ({ key: r.key, sponsored: true, impressions: Number(r.impressions), clicks: Number(r.clicks), addToCarts: Number(r.add_to_carts) }));
}

/** Index of figures by key (and sponsorship when asked). */
export function byKey<T extends { key: string; sponsored: boolean }>(rows: readonly T[], withSponsored = false): Map<string, T> {
  return new Map(rows.map((r) => [withSponsored ? `${r.key}\u0000${r.sponsored ? 1 : 0}` : r.key, r]));
}
