import { getJson } from '../api.js';
import { lineChart } from '../chart.js';
import { badge, burnBar, card, dataTable, exportButton, h, kpi, rulesNote } from '../dom.js';
import { count, minorDigits, money, percent, roas } from '../format.js';
import { pageHeader, rangeText, reportPath } from './common.js';

export async function renderSponsored(ctx) {
  const path = reportPath(ctx, '/api/reports/campaigns');
  const report = await getJson(path);
  if (!ctx.current()) return;
  ctx.range.learn(report.range);
  const m = (minor) => money(minor, report.currency);
  ctx.view.replaceChildren(
    pageHeader(ctx, 'Sponsored campaigns'),
    card(
      'Campaigns',
      { actions: [exportButton(path, 'campaigns')], testid: 'campaigns-report' },
      dataTable({
        caption: 'Spend from charged clicks in the range; sales from attributed orders; budget burn over the campaign’s life.',
        columns: [
          { label: 'Campaign', key: 'name', value: (r) => h('a', { href: `#/sponsored/${encodeURIComponent(r.campaignId)}` }, r.name) },
          { label: 'Vendor', key: 'vendor', value: (r) => r.vendor },
          { label: 'Status', key: 'status', value: (r) => badge(r.status) },
          { label: 'Impressions', key: 'impressions', numeric: true, value: (r) => count(r.impressions) },
          { label: 'Clicks', key: 'clicks', numeric: true, value: (r) => count(r.clicks) },
          { label: 'CTR', key: 'ctr', numeric: true, value: (r) => percent(r.ctr) },
          { label: 'Spend', key: 'spendMinor', numeric: true, value: (r) => m(r.spendMinor) },
          { label: 'Orders', key: 'attributedOrders', numeric: true, value: (r) => count(r.attributedOrders) },
          { label: 'Sales', key: 'attributedSalesMinor', numeric: true, value: (r) => m(r.attributedSalesMinor) },
          { label: 'ROAS', key: 'roas', numeric: true, value: (r) => roas(r.roas) },
          { label: 'ACoS', key: 'acos', numeric: true, value: (r) => percent(r.acos) },
          { label: 'Budget burn', key: 'budgetBurn', value: (r) => h('span', {}, burnBar(r.budgetBurn), percent(r.budgetBurn)) },
        ],
        rows: report.rows,
        empty: 'No sponsored campaign yet. Create one under Manage campaigns.',
      }),
    ),
    rulesNote(report.rules),
  );
}

export async function renderCampaignReport(ctx, id) {
  const path = reportPath(ctx, `/api/reports/campaigns/${encodeURIComponent(id)}`);
  const report = await getJson(path);
  if (!ctx.current()) return;
  ctx.range.learn(report.range);
  const c = report.campaign;
  const m = (minor) => money(minor, report.currency);
  const series = report.series ?? [];
  const active = series.some((d) => d.spendMinor || d.attributedSalesMinor || d.clicks);
  ctx.view.replaceChildren(
    pageHeader(ctx, c.name, { actions: [h('a', { class: 'sw-button', href: `#/campaigns/${encodeURIComponent(c.campaignId)}/edit` }, 'Edit campaign')] }),
    h('p', { class: 'sw-subdued' }, h('a', { href: '#/sponsored' }, '← All campaigns'), ' · ', c.vendor, ' · ', badge(c.status), ' · ', rangeText(report.range)),
    h(
      'div',
      { class: 'sw-kpis', 'data-testid': 'campaign-kpis' },
      kpi('Impressions', count(c.impressions), { key: 'impressions' }),
      kpi('Clicks', count(c.clicks), { key: 'clicks', note: `CTR ${percent(c.ctr)}` }),
      kpi('Charged clicks', count(c.chargedClicks), { key: 'chargedClicks' }),
      kpi('Spend', m(c.spendMinor), { key: 'spendMinor' }),
      kpi('Attributed orders', count(c.attributedOrders), { key: 'attributedOrders' }),
      kpi('Attributed sales', m(c.attributedSalesMinor), { key: 'attributedSalesMinor' }),
      kpi('ROAS', roas(c.roas), { key: 'roas' }),
      kpi('ACoS', percent(c.acos), { key: 'acos' }),
      kpi('Budget burn', h('span', {}, burnBar(c.budgetBurn), percent(c.budgetBurn)), { key: 'budgetBurn', note: `${m(c.spentTotalMinor)} of ${m(c.totalBudgetMinor)} · daily ${m(c.dailyBudgetMinor)}` }),
    ),
    card(
      'Spend and sales per day',
      { actions: [exportButton(path, `campaign-${c.campaignId}`)], testid: 'campaign-chart' },
      active
        ? lineChart({
            title: 'Spend and attributed sales per day',
            days: series.map((d) => d.day),
            lines: [
              { label: 'Attributed sales', color: '#005bd3', values: series.map((d) => d.attributedSalesMinor) },
              { label: 'Spend', color: '#b98900', values: series.map((d) => d.spendMinor) },
            ],
            formatY: (v) => m(Math.round(v)),
            minMax: 10 ** minorDigits(report.currency),
          })
        : h('div', { class: 'sw-empty' }, 'No clicks or sales in this range.'),
    ),
    card(
      'Per day',
      { testid: 'campaign-series' },
      dataTable({
        caption: 'Every day of the range.',
        columns: [
          { label: 'Day', key: 'day', value: (r) => r.day },
          { label: 'Impressions', key: 'impressions', numeric: true, value: (r) => count(r.impressions) },
          { label: 'Clicks', key: 'clicks', numeric: true, value: (r) => count(r.clicks) },
          { label: 'Spend', key: 'spendMinor', numeric: true, value: (r) => m(r.spendMinor) },
          { label: 'Orders', key: 'attributedOrders', numeric: true, value: (r) => count(r.attributedOrders) },
          { label: 'Sales', key: 'attributedSalesMinor', numeric: true, value: (r) => m(r.attributedSalesMinor) },
        ],
        rows: series,
      }),
    ),
    rulesNote(report.rules),
  );
}
