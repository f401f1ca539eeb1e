import { downloadCsv, getJson, openHtml, withQuery } from '../api.js';
import { banner, button, card, dataTable, h, kpi } from '../dom.js';
import { count, dateTime, money, roas } from '../format.js';
import { pageHeader } from './common.js';

/** The current UTC month (to date): the statement a merchant checks while the month runs. */
const thisMonth = () => new Date().toISOString().slice(0, 7);

const state = { vendor: '', month: '' };

export async function renderStatements(ctx) {
  // Vendors that have campaigns: from the campaign list (the statement is per vendor).
  const { campaigns } = await getJson('/api/campaigns');
  if (!ctx.current()) return;
  const vendors = [...new Set(campaigns.map((c) => c.vendor))].sort();
  if (!state.vendor || !vendors.includes(state.vendor)) state.vendor = vendors[0] ?? '';
  if (!state.month) state.month = thisMonth();

  const vendor = h('select', { id: 'sw-statement-vendor' }, vendors.map((v) => h('option', { value: v, selected: v === state.vendor }, v)));
  const month = h('input', { type: 'month', id: 'sw-statement-month', value: state.month, required: true });
  const path = () => withQuery('/api/reports/statements', { vendor: state.vendor, month: state.month });
  const form = h(
    'form',
    {
      class: 'sw-range',
      onsubmit: (event) => {
        event.preventDefault();
        state.vendor = vendor.value;
        state.month = month.value;
        ctx.refresh();
      },
    },
    h('div', { class: 'sw-field' }, h('label', { for: 'sw-statement-vendor' }, 'Vendor'), vendor),
    h('div', { class: 'sw-field' }, h('label', { for: 'sw-statement-month' }, 'Month'), month),
    h('button', { type: 'submit', class: 'sw-button' }, 'Show'),
  );
  if (!vendors.length) {
    ctx.view.replaceChildren(pageHeader(ctx, 'Vendor statements', { range: false }), card(null, {}, h('div', { class: 'sw-empty' }, 'No vendor has a sponsored campaign yet.')));
    return;
  }
  const statement = await getJson(path());
  if (!ctx.current()) return;
  const m = (minor) => money(minor, statement.currency);
  const t = statement.totals;
  ctx.view.replaceChildren(
    pageHeader(ctx, 'Vendor statements', { range: false }),
    card(null, { testid: 'statement-picker' }, form),
    h(
      'div',
      { class: 'sw-actions' },
      button('Download CSV', () => downloadCsv(path(), `statement-${state.vendor}-${state.month}.csv`).catch((e) => ctx.view.prepend(banner(e.message, 'critical'))), { primary: true }),
      button('Printable statement', () => openHtml(path()).catch((e) => ctx.view.prepend(banner(e.message, 'critical')))),
    ),
    h(
      'div',
      { class: 'sw-kpis' },
      kpi('Charged clicks', count(t.chargedClicks)),
      kpi('Spend', m(t.spendMinor)),
      kpi('Attributed orders', count(t.attributedOrders)),
      kpi('Attributed sales', m(t.attributedSalesMinor)),
      kpi('ROAS', roas(t.roas)),
    ),
    card(
      'Charges',
      { testid: 'statement-charges' },
      dataTable({
        caption: `Charged clicks of ${statement.vendor}'s campaigns in ${statement.month} (UTC).`,
        columns: [
          { label: 'Charged at', key: 'chargedAt', value: (r) => dateTime(r.chargedAt) },
          { label: 'Campaign', key: 'campaignName', value: (r) => r.campaignName },
          { label: 'Product', key: 'productTitle', value: (r) => r.productTitle ?? r.productId },
          { label: 'Placement', key: 'placement', value: (r) => r.placement },
          { label: 'Amount', key: 'amountMinor', numeric: true, value: (r) => m(r.amountMinor) },
        ],
        rows: statement.charges,
        empty: 'No charges this month.',
      }),
    ),
    card(
      'Attributed sales',
      { testid: 'statement-sales' },
      dataTable({
        caption: 'Order lines credited to these campaigns.',
        columns: [
          { label: 'Order', key: 'orderName', value: (r) => r.orderName ?? r.orderId },
          { label: 'Ordered at', key: 'orderedAt', value: (r) => dateTime(r.orderedAt) },
          { label: 'Product', key: 'productTitle', value: (r) => r.productTitle ?? r.productId },
          { label: 'Source', key: 'source', value: (r) => r.source },
          { label: 'Net', key: 'netMinor', numeric: true, value: (r) => m(r.netMinor) },
        ],
        rows: statement.sales,
        empty: 'No attributed sales this month.',
      }),
    ),
  );
}
