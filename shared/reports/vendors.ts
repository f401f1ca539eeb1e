import type { Db } from '../db';
import { campaignsReport } from './campaigns';
import type { ReportRange } from './range';
import { ratio } from './ratios';
import type { VendorRow, VendorsReport } from './types';

/**
 * Per vendor (docs/reports.md): the sums of its campaigns' rows (each campaign under the vendor it
 * names now). An order crediting two campaigns of one vendor counts once per campaign.
 */
export async function vendorsReport(db: Db, shop: string, range: ReportRange): Promise<VendorsReport> {
  const { rows: campaigns, ...head } = await campaignsReport(db, shop, range);
  const vendors = new Map<string, VendorRow>();
  for (const c of campaigns) {
    let v = vendors.get(c.vendor);
    if (!v) {
      v = { vendor: c.vendor, campaigns: 0, impressions: 0, clicks: 0, chargedClicks: 0, spendMinor: 0, attributedOrders: 0, attributedSalesMinor: 0, roas: null, acos: null };
      vendors.set(c.vendor, v);
    }
    v.campaigns++;
    v.impressions += c.impressions;
    v.clicks += c.clicks;
    v.chargedClicks += c.chargedClicks;
    v.spendMinor += c.spendMinor;
    v.attributedOrders += c.attributedOrders;
    v.attributedSalesMinor += c.attributedSalesMinor;
  }
  const rows = [...vendors.values()]
    .map((v) => ({ ...v, roas: ratio(v.attributedSalesMinor, v.spendMinor), acos: ratio(v.spendMinor, v.attributedSalesMinor) }))
    .sort((a, b) => (a.vendor < b.vendor ? -1 : a.vendor > b.vendor ? 1 : 0));
  return { ...head, rows };
}
