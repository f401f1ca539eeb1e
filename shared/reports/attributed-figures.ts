import { sql } from 'kysely';
import type { Db } from '../db';
import type { ReportRange } from './range';

/** Attributed orders and revenue of one group, from attribution_daily_orders. */
export interface AttributedFigures {
  key: string;
  sponsored: boolean;
  /** Distinct orders with a credit (net > 0), summed over days (an order is on one day). */
  orders: number;
  /** Of those, orders with a credit that is not view-through. */
  clickOrders: number;
  lineItems: number;
  netMinor: number;
}

const GROUPS = {
  /** dimension 'all' per day. */
  day: { dimension: 'all', key: sql`day`, sponsored: sql`false` },
  /** dimension 'all' in one row. */
  total: { dimension: 'all', key: sql`''`, sponsored: sql`false` },
  /** dimension 'placement' split by sponsorship only. */
  sponsored: { dimension: 'placement', key: sql`''`, sponsored: sql`sponsored` },
  placement: { dimension: 'placement', key: sql`placement`, sponsored: sql`sponsored` },
  model: { dimension: 'model', key: sql`model_version`, sponsored: sql`false` },
  campaign: { dimension: 'campaign', key: sql`campaign_id::text`, sponsored: sql`true` },
} as const;

/**
 * attribution_daily_orders of the range summed by the group asked for, optionally one campaign
 * per day (`campaignDays`).
 */
export async function attributedFigures(db: Db, shop: string, range: ReportRange, by: keyof typeof GROUPS | { campaignDays: string }): Promise<AttributedFigures[]> {
  const g = typeof by === 'string' ? GROUPS[by] : { dimension: 'campaign', key: sql`day`, sponsored: sql`true` };
  const only = typeof by === 'string' ? sql`` : sql`and campaign_id = ${by.campaignDays}::bigint`;
  const { rows } = await sql<{ key: string; sponsored: boolean; orders: number; click_orders: number; line_items: number; net_minor: number }>`
    select ${g.key} as key, ${g.sponsored} as sponsored,
      sum(orders)::bigint as orders, sum(click_orders)::bigint as click_orders, sum(line_items)::bigint as line_items, sum(net_minor)::bigint as net_minor
    from attribution_daily_orders
    where shop = ${shop} and dimension = ${g.dimension} and day >= ${range.from} and day <= ${range.to} ${only}
    group by 1, 2
  `.execute(db);
  return rows.map((r) => ({
    key: r.key,
    sponsored: r.sponsored,
    orders: Number(r.orders),
    clickOrders: Number(r.click_orders),
    lineItems: Number(r.line_items),
    netMinor: Number(r.net_minor),
  }));
}
