import { getJson } from '../api.js';
import { badge, card, dataTable, exportButton, rulesNote } from '../dom.js';
import { count, money, percent } from '../format.js';
import { pageHeader, reportPath } from './common.js';

export async function renderPlacements(ctx) {
  const path = reportPath(ctx, '/api/reports/placements');
  const report = await getJson(path);
  if (!ctx.current()) return;
  ctx.range.learn(report.range);
  const m = (minor) => money(minor, report.currency);
  ctx.view.replaceChildren(
    pageHeader(ctx, 'Blocks & placements'),
    card(
      'By block and placement',
      { actions: [exportButton(path, 'placements')], testid: 'placements' },
      dataTable({
        caption: 'Impressions, clicks and attributed revenue per storefront placement.',
        columns: [
          { label: 'Placement', key: 'placement', value: (r) => r.placement },
          { label: 'Kind', key: 'sponsored', value: (r) => badge(r.sponsored ? 'sponsored' : 'organic', r.sponsored ? 'info' : '') },
          { label: 'Impressions', key: 'impressions', numeric: true, value: (r) => count(r.impressions) },
          { label: 'Clicks', key: 'clicks', numeric: true, value: (r) => count(r.clicks) },
          { label: 'CTR', key: 'ctr', numeric: true, value: (r) => percent(r.ctr) },
          { label: 'Add to carts', key: 'addToCarts', numeric: true, value: (r) => count(r.addToCarts) },
          { label: 'Orders', key: 'attributedOrders', numeric: true, value: (r) => count(r.attributedOrders) },
          { label: 'Line items', key: 'attributedLineItems', numeric: true, value: (r) => count(r.attributedLineItems) },
          { label: 'Attributed revenue', key: 'attributedRevenueMinor', numeric: true, value: (r) => m(r.attributedRevenueMinor) },
          { label: 'Click to order', key: 'clickToOrder', numeric: true, value: (r) => percent(r.clickToOrder) },
        ],
        rows: report.rows,
        empty: 'No block was shown in this range yet.',
      }),
    ),
    rulesNote(report.rules),
  );
}
