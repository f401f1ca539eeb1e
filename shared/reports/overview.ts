import { sql } from 'kysely';
import type { Db } from '../db';
import { holdoutLift } from '../holdout';
import { attributedFigures } from './attributed-figures';
import { storefrontEventFigures } from './event-counts';
import { reportHead } from './head';
import { rangeDays, type ReportRange } from './range';
import { averageMinor, ratio } from './ratios';
import type { OverviewDay, OverviewReport } from './types';

interface StoreDay {
  day: string;
  orders: number;
  net_minor: number;
  orders_with_recommendation: number;
  net_with_recommendation_minor: number;
}

/**
 * The overview (docs/reports.md): the store's orders and net revenue (store_daily), what was
 * attributed (attribution_daily_orders), storefront events (storefront_event_daily), the
 * holdout lift (shared/holdout) and a series with every day of the range.
 */
export async function overviewReport(db: Db, shop: string, range: ReportRange): Promise<OverviewReport> {
  const [head, store, attributedDays, split, events, lift] = await Promise.all([
    reportHead(db, shop, range),
    sql<StoreDay>`
      select day, sum(orders)::bigint as orders, sum(net_minor)::bigint as net_minor,
        sum(orders_with_recommendation)::bigint as orders_with_recommendation, sum(net_with_recommendation_minor)::bigint as net_with_recommendation_minor
      from store_daily
      where shop = ${shop} and day >= ${range.from} and day <= ${range.to}
      group by day
    `.execute(db),
    attributedFigures(db, shop, range, 'day'),
    attributedFigures(db, shop, range, 'sponsored'),
    storefrontEventFigures(db, shop, range, 'day'),
    holdoutLift(db, shop, range),
  ]);
  const storeByDay = new Map(store.rows.map((r) => [r.day, r]));
  const attributedByDay = new Map(attributedDays.map((r) => [r.key, r]));
  const eventsByDay = new Map(events.map((r) => [r.key, r]));

  const series: OverviewDay[] = rangeDays(range).map((day) => ({
    day,
    storeRevenueMinor: Number(storeByDay.get(day)?.net_minor ?? 0),
    attributedRevenueMinor: attributedByDay.get(day)?.netMinor ?? 0,
    attributedOrders: attributedByDay.get(day)?.orders ?? 0,
    impressions: eventsByDay.get(day)?.impressions ?? 0,
    clicks: eventsByDay.get(day)?.clicks ?? 0,
  }));

  let storeOrders = 0;
  let storeRevenue = 0;
  let withOrders = 0;
  let withRevenue = 0;
  for (const r of store.rows) {
    storeOrders += Number(r.orders);
    storeRevenue += Number(r.net_minor);
    withOrders += Number(r.orders_with_recommendation);
    withRevenue += Number(r.net_with_recommendation_minor);
  }
  const sum = <T>(rows: readonly T[], f: (r: T) => number) => rows.reduce((s, r) => s + f(r), 0);
  const attributedOrders = sum(attributedDays, (r) => r.orders);
  const attributedRevenue = sum(attributedDays, (r) => r.netMinor);
  const clickOrders = sum(attributedDays, (r) => r.clickOrders);
  const impressions = sum(series, (d) => d.impressions);
  const clicks = sum(series, (d) => d.clicks);
  return {
    ...head,
    totals: {
      storeOrders,
      storeRevenueMinor: storeRevenue,
      attributedOrders,
      attributedRevenueMinor: attributedRevenue,
      attributedShare: ratio(attributedRevenue, storeRevenue),
      recommendationRevenueMinor: sum(split.filter((r) => !r.sponsored), (r) => r.netMinor),
      sponsoredRevenueMinor: sum(split.filter((r) => r.sponsored), (r) => r.netMinor),
      aovWithRecommendationMinor: averageMinor(withRevenue, withOrders),
      aovWithoutRecommendationMinor: averageMinor(storeRevenue - withRevenue, storeOrders - withOrders),
      impressions,
      clicks,
      ctr: ratio(clicks, impressions),
      clickToOrder: ratio(clickOrders, clicks),
    },
    lift,
    series,
  };
}
