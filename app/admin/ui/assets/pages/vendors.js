import { getJson } from '../api.js';
import { card, dataTable, exportButton, rulesNote } from '../dom.js';
import { count, money, percent, roas } from '../format.js';
import { pageHeader, reportPath } from './common.js';

export async function renderVendors(ctx) {
  const path = reportPath(ctx, '/api/reports/vendors');
  const report = await getJson(path);
  if (!ctx.current()) return;
  ctx.range.learn(report.range);
  const m = (minor) => money(minor, report.currency);
  ctx.view.replaceChildren(
    pageHeader(ctx, 'Vendors'),
    card(
      'Sponsored by vendor',
      { actions: [exportButton(path, 'vendors')], testid: 'vendors' },
      dataTable({
        caption: 'Sponsored spend and attributed sales per vendor.',
        columns: [
          { label: 'Vendor', key: 'vendor', value: (r) => r.vendor },
          { label: 'Campaigns', key: 'campaigns', numeric: true, value: (r) => count(r.campaigns) },
          { label: 'Impressions', key: 'impressions', numeric: true, value: (r) => count(r.impressions) },
          { label: 'Clicks', key: 'clicks', numeric: true, value: (r) => count(r.clicks) },
          { label: 'Charged clicks', key: 'chargedClicks', numeric: true, value: (r) => count(r.chargedClicks) },
          { label: 'Spend', key: 'spendMinor', numeric: true, value: (r) => m(r.spendMinor) },
          { label: 'Orders', key: 'attributedOrders', numeric: true, value: (r) => count(r.attributedOrders) },
          { label: 'Sales', key: 'attributedSalesMinor', numeric: true, value: (r) => m(r.attributedSalesMinor) },
          { label: 'ROAS', key: 'roas', numeric: true, value: (r) => roas(r.roas) },
          { label: 'ACoS', key: 'acos', numeric: true, value: (r) => percent(r.acos) },
        ],
        rows: report.rows,
        empty: 'No vendor has a sponsored campaign yet.',
      }),
    ),
    rulesNote(report.rules),
  );
}
