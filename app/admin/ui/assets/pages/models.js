import { getJson } from '../api.js';
import { badge, card, dataTable, exportButton, h, rulesNote } from '../dom.js';
import { count, dateTime, money, percent } from '../format.js';
import { pageHeader, reportPath } from './common.js';

/** The offline metrics recorded at training, compactly: numbers to 3 digits, nested keys dotted. */
function metricChips(metrics) {
  if (!metrics || typeof metrics !== 'object') return '—';
  const chips = [];
  const walk = (value, prefix) => {
    if (chips.length >= 8) return;
    if (typeof value === 'number') chips.push(`${prefix} ${Number.isInteger(value) ? value : value.toFixed(3)}`);
    else if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
  };
  walk(metrics, '');
  return chips.length ? h('span', { class: 'sw-metrics', title: JSON.stringify(metrics) }, chips.map((c) => h('span', {}, c))) : '—';
}

export async function renderModels(ctx) {
  const path = reportPath(ctx, '/api/reports/models');
  const report = await getJson(path);
  if (!ctx.current()) return;
  ctx.range.learn(report.range);
  const m = (minor) => money(minor, report.currency);
  ctx.view.replaceChildren(
    pageHeader(ctx, 'Models'),
    card(
      'By model version',
      { actions: [exportButton(path, 'models')], testid: 'models' },
      dataTable({
        caption: 'Model versions that served in the range or serve now, with the offline metrics of their training.',
        columns: [
          { label: 'Version', key: 'modelVersion', value: (r) => r.modelVersion },
          { label: 'Status', key: 'status', value: (r) => (r.serving ? badge('serving') : badge(r.status ?? '—')) },
          { label: 'Model', key: 'model', value: (r) => r.model ?? '—' },
          { label: 'Trained', key: 'createdAt', value: (r) => dateTime(r.createdAt) },
          { label: 'Offline metrics', key: 'metrics', value: (r) => metricChips(r.metrics) },
          { label: 'Impressions', key: 'impressions', numeric: true, value: (r) => count(r.impressions) },
          { label: 'Clicks', key: 'clicks', numeric: true, value: (r) => count(r.clicks) },
          { label: 'CTR', key: 'ctr', numeric: true, value: (r) => percent(r.ctr) },
          { label: 'Orders', key: 'attributedOrders', numeric: true, value: (r) => count(r.attributedOrders) },
          { label: 'Attributed revenue', key: 'attributedRevenueMinor', numeric: true, value: (r) => m(r.attributedRevenueMinor) },
        ],
        rows: report.rows,
        empty: 'No model has been trained for this shop yet.',
      }),
    ),
    rulesNote(report.rules),
  );
}
