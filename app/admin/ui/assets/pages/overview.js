import { getJson } from '../api.js';
import { lineChart } from '../chart.js';
import { card, exportButton, h, kpi, rulesNote } from '../dom.js';
import { count, minorDigits, money, percent } from '../format.js';
import { pageHeader, rangeText, reportPath } from './common.js';

function liftCard(lift, currency) {
  if (!lift) return card('Holdout lift', {}, h('p', { class: 'sw-subdued' }, 'Lift is not available.'));
  if (lift.status !== 'ok') {
    return card('Holdout lift', { testid: 'lift' }, h('p', { 'data-lift': lift.status }, lift.message || (lift.status === 'off' ? 'The holdout group is off.' : 'Not enough visitors yet.')));
  }
  const [lo, hi] = lift.ci95PerVisitorMinor ?? [null, null];
  return card(
    'Holdout lift',
    { testid: 'lift' },
    h(
      'div',
      { class: 'sw-kpis' },
      kpi('Incremental revenue per visitor', money(lift.incrementalPerVisitorMinor, currency), { key: 'incrementalPerVisitorMinor', note: lo === null ? null : `95 % interval ${money(lo, currency)} to ${money(hi, currency)}` }),
      kpi('Incremental revenue', money(lift.incrementalRevenueMinor, currency), { key: 'incrementalRevenueMinor', note: lift.significant ? 'Significant at 95 %' : 'Not significant at 95 %' }),
      kpi('Visitors (shown / holdout)', `${count(lift.visitors?.treatment)} / ${count(lift.visitors?.holdout)}`, { note: `Holdout share ${percent(lift.holdoutShare)}` }),
    ),
    lift.message ? h('p', { class: 'sw-subdued' }, lift.message) : null,
  );
}

export async function renderOverview(ctx) {
  const path = reportPath(ctx, '/api/reports/overview');
  const report = await getJson(path);
  if (!ctx.current()) return;
  ctx.range.learn(report.range);
  const { totals: t, currency } = report;
  const m = (minor) => money(minor, currency);
  const series = report.series ?? [];
  const hasRevenue = series.some((d) => d.storeRevenueMinor || d.attributedRevenueMinor);
  ctx.view.replaceChildren(
    pageHeader(ctx, 'Overview'),
    h('p', { class: 'sw-subdued' }, rangeText(report.range)),
    h(
      'div',
      { class: 'sw-kpis', 'data-testid': 'kpis' },
      kpi('Attributed revenue', m(t.attributedRevenueMinor), { key: 'attributedRevenueMinor', note: `${percent(t.attributedShare)} of store revenue` }),
      kpi('Share of store revenue', percent(t.attributedShare), { key: 'attributedShare' }),
      kpi('Store revenue', m(t.storeRevenueMinor), { key: 'storeRevenueMinor' }),
      kpi('Attributed orders', count(t.attributedOrders), { key: 'attributedOrders', note: `of ${count(t.storeOrders)} orders` }),
      kpi('Store orders', count(t.storeOrders), { key: 'storeOrders' }),
      kpi('Recommendations', m(t.recommendationRevenueMinor), { key: 'recommendationRevenueMinor' }),
      kpi('Sponsored', m(t.sponsoredRevenueMinor), { key: 'sponsoredRevenueMinor' }),
      kpi('AOV with a recommendation', m(t.aovWithRecommendationMinor), { key: 'aovWithRecommendationMinor' }),
      kpi('AOV without', m(t.aovWithoutRecommendationMinor), { key: 'aovWithoutRecommendationMinor' }),
      kpi('Impressions', count(t.impressions), { key: 'impressions' }),
      kpi('Clicks', count(t.clicks), { key: 'clicks' }),
      kpi('Click-through rate', percent(t.ctr), { key: 'ctr' }),
      kpi('Click to order', percent(t.clickToOrder), { key: 'clickToOrder' }),
    ),
    card(
      'Revenue per day',
      { actions: [exportButton(path, 'overview')], testid: 'overview-chart' },
      hasRevenue
        ? lineChart({
            title: 'Attributed and store revenue per day',
            days: series.map((d) => d.day),
            lines: [
              { label: 'Store revenue', color: '#8a8a8a', values: series.map((d) => d.storeRevenueMinor) },
              { label: 'Attributed revenue', color: '#005bd3', values: series.map((d) => d.attributedRevenueMinor) },
            ],
            formatY: (v) => m(Math.round(v)),
            minMax: 10 ** minorDigits(report.currency),
          })
        : h('div', { class: 'sw-empty' }, 'No orders in this range yet.'),
    ),
    liftCard(report.lift, currency),
    rulesNote(report.rules),
  );
}
