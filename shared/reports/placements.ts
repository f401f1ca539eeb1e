import type { Db } from '../db';
import { attributedFigures } from './attributed-figures';
import { byKey, storefrontEventFigures } from './event-counts';
import { reportHead } from './head';
import type { ReportRange } from './range';
import { ratio } from './ratios';
import type { PlacementRow, PlacementsReport } from './types';

/**
 * Per placement and sponsorship (docs/reports.md): events from storefront_event_daily, attributed
 * orders, lines and revenue from attribution_daily_orders. A row for every pair with events or
 * credits in the range, by placement then organic before sponsored.
 */
export async function placementsReport(db: Db, shop: string, range: ReportRange): Promise<PlacementsReport> {
  const [head, events, attributed] = await Promise.all([
    reportHead(db, shop, range),
    storefrontEventFigures(db, shop, range, 'placement'),
    attributedFigures(db, shop, range, 'placement'),
  ]);
  const ev = byKey(events, true);
  const at = byKey(attributed, true);
  const keys = [...new Set([...ev.keys(), ...at.keys()])].sort();
  const rows: PlacementRow[] = keys.map((k) => {
    const e = ev.get(k);
    const a = at.get(k);
    const [placement, sponsored] = k.split('\u0000') as [string, string];
    const clicks = e?.clicks ?? 0;
    const impressions = e?.impressions ?? 0;
    return {
      placement,
      sponsored: sponsored === '1',
      impressions,
      clicks,
      addToCarts: e?.addToCarts ?? 0,
      ctr: ratio(clicks, impressions),
      attributedOrders: a?.orders ?? 0,
      attributedLineItems: a?.lineItems ?? 0,
      attributedRevenueMinor: a?.netMinor ?? 0,
      clickToOrder: ratio(a?.clickOrders ?? 0, clicks),
    };
  });
  return { ...head, rows };
}
