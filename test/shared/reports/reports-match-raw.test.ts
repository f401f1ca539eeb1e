import { sql } from 'kysely';
import type { Db } from '../../../shared/db';
import {
  campaignReport,
  campaignsReport,
  modelsReport,
  overviewReport,
  placementsReport,
  vendorsReport,
  vendorStatement,
  type ReportRange,
} from '../../../shared/reports';
import type { StorefrontEventEntry } from '../../../shared/tracking';
import { recommendationTokenKey } from '../../../shared/tracking';
import { BACKENDS, type TestDatabase } from '../../support/databases';
import { seedStore, type SeededStore } from './support/seed-store';

const SHOP = 'reports-raw.myshopify.com';
const START = '2026-09-20';
const DAYS = 28;
const RULES_TEXT = "line property, then cart attribute, then the shopper's last click within 7 days (sponsored: 14 days click, 1 day view)";

/** Everything the reports are made of, as stored (or, for events, as sent), read plainly. */
interface Raw {
  orders: Array<{ id: string; created_at: Date; test: boolean; cancelled_at: Date | null }>;
  lines: Array<{ id: string; order_id: string; quantity: number; price_minor: number; total_discount_minor: number }>;
  refunds: Array<{ line_item_id: string; subtotal_minor: number }>;
  credits: Array<{ order_id: string; line_item_id: string; source: string; placement: string; sponsored: boolean; campaign_id: string | null; model_version: string | null; net_minor: number; day: string; impression_id: string; product_id: string }>;
  ledger: Array<{ id: string; charge_key: string; campaign_id: string; status: string; amount_minor: number; day: string }>;
  campaigns: Array<{ id: string; name: string; vendor: string; status: string; daily_budget_minor: number; total_budget_minor: number }>;
  versions: Array<{ id: string; created_at: Date; status: string; model: string; metrics: unknown }>;
  /** Each event once (the first delivery of its id). */
  events: StorefrontEventEntry[];
}

async function readRaw(db: Db, seeded: SeededStore): Promise<Raw> {
  const q = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows;
  const seen = new Set<string>();
  return {
    orders: await q(sql`select id, created_at, test, cancelled_at from orders where shop = ${SHOP}`),
    lines: await q(sql`select id, order_id, quantity, price_minor, total_discount_minor from order_line_items where shop = ${SHOP}`),
    refunds: await q(sql`select line_item_id, subtotal_minor from refund_line_items where shop = ${SHOP}`),
    credits: (await q<Raw['credits'][number]>(sql`select order_id, line_item_id, source, placement, sponsored, campaign_id::text as campaign_id, model_version, net_minor, day, impression_id, product_id from order_attributions where shop = ${SHOP}`)).map((c) => ({ ...c, net_minor: Number(c.net_minor) })),
    ledger: (await q<Raw['ledger'][number]>(sql`select id::text as id, charge_key, campaign_id::text as campaign_id, status, amount_minor, day::text as day from sponsored_ledger where shop = ${SHOP}`)).map((l) => ({ ...l, amount_minor: Number(l.amount_minor) })),
    campaigns: (await q<Raw['campaigns'][number]>(sql`select id::text as id, name, vendor, status, daily_budget_minor, total_budget_minor from sponsored_campaigns where shop = ${SHOP}`)).map((c) => ({ ...c, daily_budget_minor: Number(c.daily_budget_minor), total_budget_minor: Number(c.total_budget_minor) })),
    versions: await q(sql`select id::text as id, created_at, status, model, metrics from model_versions where shop = ${SHOP}`),
    events: seeded.entries.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true))),
  };
}

const dayOf = (ms: number | Date) => new Date(ms).toISOString().slice(0, 10);
const inRange = (day: string, r: ReportRange) => day >= r.from && day <= r.to;
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);
function days(r: ReportRange): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${r.from}T00:00:00Z`); t <= Date.parse(`${r.to}T00:00:00Z`); t += 86_400_000) out.push(dayOf(t));
  return out;
}

/** Each counting order's net line revenue: Σ max(0, price × qty − discount − refunded) per line. */
function orderNets(raw: Raw): Map<string, { day: string; net: number }> {
  const refunded = new Map<string, number>();
  for (const r of raw.refunds) refunded.set(r.line_item_id, (refunded.get(r.line_item_id) ?? 0) + r.subtotal_minor);
  const out = new Map<string, { day: string; net: number }>();
  for (const o of raw.orders) {
    if (o.test || o.cancelled_at !== null) continue;
    const net = sum(raw.lines.filter((l) => l.order_id === o.id), (l) => Math.max(0, l.price_minor * l.quantity - l.total_discount_minor - (refunded.get(l.id) ?? 0)));
    out.set(o.id, { day: dayOf(o.created_at), net });
  }
  return out;
}

/** Orders, click orders, lines and net of the credits (net > 0) that pass `keep`. */
function creditFigures(raw: Raw, keep: (c: Raw['credits'][number]) => boolean) {
  const credits = raw.credits.filter((c) => c.net_minor > 0 && keep(c));
  return {
    orders: new Set(credits.map((c) => c.order_id)).size,
    clickOrders: new Set(credits.filter((c) => c.source !== 'view').map((c) => c.order_id)).size,
    lines: credits.length,
    net: sum(credits, (c) => c.net_minor),
  };
}

function eventFigures(raw: Raw, keep: (e: StorefrontEventEntry) => boolean) {
  const events = raw.events.filter(keep);
  return {
    impressions: events.filter((e) => e.type === 'impression').length,
    clicks: events.filter((e) => e.type === 'click').length,
    addToCarts: events.filter((e) => e.type === 'add_to_cart').length,
  };
}

function expectedOverviewTotals(raw: Raw, r: ReportRange) {
  const orders = [...orderNets(raw).entries()].filter(([, o]) => inRange(o.day, r));
  const attributed = new Set(raw.credits.filter((c) => c.net_minor > 0).map((c) => c.order_id));
  const withRec = orders.filter(([id]) => attributed.has(id));
  const withoutRec = orders.filter(([id]) => !attributed.has(id));
  const all = creditFigures(raw, (c) => inRange(c.day, r));
  const ev = eventFigures(raw, (e) => inRange(dayOf(e.occurred_at), r));
  const storeRevenue = sum(orders, ([, o]) => o.net);
  return {
    storeOrders: orders.length,
    storeRevenueMinor: storeRevenue,
    attributedOrders: all.orders,
    attributedRevenueMinor: all.net,
    attributedShare: ratio(all.net, storeRevenue),
    recommendationRevenueMinor: creditFigures(raw, (c) => inRange(c.day, r) && !c.sponsored).net,
    sponsoredRevenueMinor: creditFigures(raw, (c) => inRange(c.day, r) && c.sponsored).net,
    aovWithRecommendationMinor: withRec.length ? Math.round(sum(withRec, ([, o]) => o.net) / withRec.length) : null,
    aovWithoutRecommendationMinor: withoutRec.length ? Math.round(sum(withoutRec, ([, o]) => o.net) / withoutRec.length) : null,
    impressions: ev.impressions,
    clicks: ev.clicks,
    ctr: ratio(ev.clicks, ev.impressions),
    clickToOrder: ratio(all.clickOrders, ev.clicks),
  };
}

function expectedSeries(raw: Raw, r: ReportRange) {
  const nets = [...orderNets(raw).values()];
  return days(r).map((day) => {
    const a = creditFigures(raw, (c) => c.day === day);
    const e = eventFigures(raw, (x) => dayOf(x.occurred_at) === day);
    return { day, storeRevenueMinor: sum(nets.filter((o) => o.day === day), (o) => o.net), attributedRevenueMinor: a.net, attributedOrders: a.orders, impressions: e.impressions, clicks: e.clicks };
  });
}

function expectedPlacements(raw: Raw, r: ReportRange) {
  const keys = new Set<string>();
  for (const e of raw.events) if (inRange(dayOf(e.occurred_at), r)) keys.add(`${e.placement}|${e.sponsored}`);
  for (const c of raw.credits) if (c.net_minor > 0 && inRange(c.day, r)) keys.add(`${c.placement}|${c.sponsored}`);
  return [...keys]
    .map((k) => {
      const [placement, s] = k.split('|') as [string, string];
      const sponsored = s === 'true';
      const e = eventFigures(raw, (x) => inRange(dayOf(x.occurred_at), r) && x.placement === placement && x.sponsored === sponsored);
      const a = creditFigures(raw, (c) => inRange(c.day, r) && c.placement === placement && c.sponsored === sponsored);
      return {
        placement, sponsored, impressions: e.impressions, clicks: e.clicks, addToCarts: e.addToCarts, ctr: ratio(e.clicks, e.impressions),
        attributedOrders: a.orders, attributedLineItems: a.lines, attributedRevenueMinor: a.net, clickToOrder: ratio(a.clickOrders, e.clicks),
      };
    })
    .sort((x, y) => (x.placement === y.placement ? Number(x.sponsored) - Number(y.sponsored) : x.placement < y.placement ? -1 : 1));
}

function expectedModels(raw: Raw, r: ReportRange, serving: string) {
  const ids = new Set<string>([serving]);
  for (const e of raw.events) if (e.model_version && inRange(dayOf(e.occurred_at), r)) ids.add(e.model_version);
  for (const c of raw.credits) if (c.model_version && c.net_minor > 0 && inRange(c.day, r)) ids.add(c.model_version);
  return [...ids]
    .sort((a, b) => Number(b) - Number(a))
    .map((id) => {
      const v = raw.versions.find((x) => x.id === id);
      const e = eventFigures(raw, (x) => inRange(dayOf(x.occurred_at), r) && x.model_version === id);
      const a = creditFigures(raw, (c) => inRange(c.day, r) && c.model_version === id);
      return {
        modelVersion: id, createdAt: v ? new Date(v.created_at).toISOString() : null, status: v?.status ?? null, serving: id === serving, model: v?.model ?? null,
        metrics: v?.metrics ?? null, impressions: e.impressions, clicks: e.clicks, ctr: ratio(e.clicks, e.impressions), attributedOrders: a.orders, attributedRevenueMinor: a.net,
      };
    });
}

function expectedCampaign(raw: Raw, r: ReportRange, c: Raw['campaigns'][number]) {
  const e = eventFigures(raw, (x) => x.campaign_id === c.id && inRange(dayOf(x.occurred_at), r));
  const charged = raw.ledger.filter((l) => l.campaign_id === c.id && l.status === 'charged');
  const inRangeCharges = charged.filter((l) => inRange(l.day, r));
  const spend = sum(inRangeCharges, (l) => l.amount_minor);
  const a = creditFigures(raw, (x) => x.campaign_id === c.id && inRange(x.day, r));
  const spentTotal = sum(charged, (l) => l.amount_minor);
  return {
    campaignId: c.id, name: c.name, vendor: c.vendor, status: c.status, impressions: e.impressions, clicks: e.clicks, ctr: ratio(e.clicks, e.impressions),
    chargedClicks: inRangeCharges.length, spendMinor: spend, attributedOrders: a.orders, attributedSalesMinor: a.net, roas: ratio(a.net, spend), acos: ratio(spend, a.net),
    dailyBudgetMinor: c.daily_budget_minor, totalBudgetMinor: c.total_budget_minor, spentTotalMinor: spentTotal, budgetBurn: ratio(spentTotal, c.total_budget_minor),
  };
}

function expectedVendors(raw: Raw, r: ReportRange) {
  const vendors = [...new Set(raw.campaigns.map((c) => c.vendor))].sort();
  return vendors.map((vendor) => {
    const rows = raw.campaigns.filter((c) => c.vendor === vendor).map((c) => expectedCampaign(raw, r, c));
    const spend = sum(rows, (x) => x.spendMinor);
    const sales = sum(rows, (x) => x.attributedSalesMinor);
    return {
      vendor, campaigns: rows.length, impressions: sum(rows, (x) => x.impressions), clicks: sum(rows, (x) => x.clicks), chargedClicks: sum(rows, (x) => x.chargedClicks),
      spendMinor: spend, attributedOrders: sum(rows, (x) => x.attributedOrders), attributedSalesMinor: sales, roas: ratio(sales, spend), acos: ratio(spend, sales),
    };
  });
}

describe.each(BACKENDS)('reports equal an independent computation from raw rows on %s', (_name, open) => {
  let t: TestDatabase;
  let seeded: SeededStore;
  let raw: Raw;
  beforeAll(async () => {
    t = await open();
    seeded = await seedStore(t.db, { shop: SHOP, seed: 20261128, start: START, days: DAYS, impressions: 450, orders: 260, customerIdKey: 'reports-customer-id-key-0123456789', tokenKey: recommendationTokenKey(Buffer.alloc(32, 7)) });
    raw = await readRaw(t.db, seeded);
  }, 180_000);
  afterAll(() => t.close());

  const RANGES: ReportRange[] = [
    { from: '2026-09-25', to: '2026-10-09' },
    { from: START, to: '2026-10-17' },
    { from: '2027-01-01', to: '2027-01-03' },
  ];

  it('seeded a store that exercises every figure', () => {
    expect(raw.orders.some((o) => o.test)).toBe(true);
    expect(raw.orders.some((o) => o.cancelled_at !== null)).toBe(true);
    expect(raw.refunds.length).toBeGreaterThan(5);
    for (const source of ['property', 'click', 'view']) expect(raw.credits.some((c) => c.source === source && c.net_minor > 0)).toBe(true);
    expect(raw.credits.some((c) => c.sponsored && c.net_minor > 0)).toBe(true);
    expect(raw.ledger.some((l) => l.status === 'charged')).toBe(true);
    expect(raw.ledger.some((l) => l.status === 'not_charged')).toBe(true);
    expect(raw.events.some((e) => !e.consent)).toBe(true);
    expect(seeded.entries.length).toBeGreaterThan(raw.events.length);
  });

  it.each(RANGES)('overview %o', async (range) => {
    const report = await overviewReport(t.db, SHOP, range);
    expect(report.range).toEqual(range);
    expect(report.currency).toBe('GBP');
    expect(report.rules).toEqual({ recommendationClickWindowDays: 7, sponsoredClickWindowDays: 14, sponsoredViewWindowDays: 1, text: RULES_TEXT });
    expect(report.totals).toEqual(expectedOverviewTotals(raw, range));
    expect(report.series).toEqual(expectedSeries(raw, range));
    expect(['ok', 'too_small', 'off']).toContain(report.lift.status);
  });

  it.each(RANGES)('placements %o', async (range) => {
    expect((await placementsReport(t.db, SHOP, range)).rows).toEqual(expectedPlacements(raw, range));
  });

  it.each(RANGES)('models %o', async (range) => {
    expect((await modelsReport(t.db, SHOP, range)).rows).toEqual(expectedModels(raw, range, seeded.versions[1]!));
  });

  it.each(RANGES)('campaigns, each campaign and vendors %o', async (range) => {
    const report = await campaignsReport(t.db, SHOP, range);
    const expected = [...raw.campaigns].sort((a, b) => Number(a.id) - Number(b.id)).map((c) => expectedCampaign(raw, range, c));
    expect(report.rows).toEqual(expected);
    for (const c of raw.campaigns) {
      const one = await campaignReport(t.db, SHOP, { ...range, campaignId: c.id });
      expect(one?.campaign).toEqual(expectedCampaign(raw, range, c));
      expect(one?.series).toEqual(
        days(range).map((day) => {
          const e = eventFigures(raw, (x) => x.campaign_id === c.id && dayOf(x.occurred_at) === day);
          const a = creditFigures(raw, (x) => x.campaign_id === c.id && x.day === day);
          const spend = sum(raw.ledger.filter((l) => l.campaign_id === c.id && l.status === 'charged' && l.day === day), (l) => l.amount_minor);
          return { day, impressions: e.impressions, clicks: e.clicks, spendMinor: spend, attributedOrders: a.orders, attributedSalesMinor: a.net };
        }),
      );
    }
    expect((await vendorsReport(t.db, SHOP, range)).rows).toEqual(expectedVendors(raw, range));
  });

  it('an unknown campaign, or one of another shop, has no report', async () => {
    expect(await campaignReport(t.db, SHOP, { ...RANGES[0]!, campaignId: '999999' })).toBeNull();
    expect(await campaignReport(t.db, 'someone-else.myshopify.com', { ...RANGES[0]!, campaignId: raw.campaigns[0]!.id })).toBeNull();
  });

  it.each(['2026-09', '2026-10'])('vendor statements of %s list every ledger charge and sponsored credit of the month', async (month) => {
    for (const vendor of ['Acme', 'Birch & Co', 'Nobody']) {
      const statement = await vendorStatement(t.db, SHOP, { vendor, month });
      const ids = new Set(raw.campaigns.filter((c) => c.vendor === vendor).map((c) => c.id));
      const charges = raw.ledger.filter((l) => ids.has(l.campaign_id) && l.status === 'charged' && l.day.startsWith(`${month}-`));
      const sales = raw.credits.filter((c) => c.sponsored && c.campaign_id !== null && ids.has(c.campaign_id) && c.day.startsWith(`${month}-`));
      const keys = new Set(raw.ledger.filter((l) => l.status === 'charged').map((l) => l.charge_key));
      expect(statement.charges.map((c) => [c.ledgerId, c.chargeKey, c.campaignId, c.amountMinor]).sort()).toEqual(charges.map((l) => [l.id, l.charge_key, l.campaign_id, l.amount_minor]).sort());
      expect(statement.sales.map((s) => [s.orderId, s.lineItemId, s.campaignId, s.netMinor, s.source, s.chargeKey]).sort()).toEqual(
        sales.map((c) => [c.order_id, c.line_item_id, c.campaign_id, c.net_minor, c.source, keys.has(`${c.impression_id}:${c.product_id}`) ? `${c.impression_id}:${c.product_id}` : null]).sort(),
      );
      const spend = sum(charges, (l) => l.amount_minor);
      const salesMinor = sum(sales, (c) => c.net_minor);
      expect(statement.totals).toEqual({
        chargedClicks: charges.length,
        spendMinor: spend,
        attributedOrders: new Set(sales.filter((c) => c.net_minor > 0).map((c) => c.order_id)).size,
        attributedSalesMinor: salesMinor,
        roas: ratio(salesMinor, spend),
      });
      if (vendor === 'Nobody') expect(statement.charges).toEqual([]);
    }
  });

  it('never credits an order more than its net line revenue', () => {
    const nets = orderNets(raw);
    for (const [id, o] of nets) expect(sum(raw.credits.filter((c) => c.order_id === id), (c) => c.net_minor)).toBeLessThanOrEqual(o.net);
    for (const c of raw.credits) expect(nets.has(c.order_id)).toBe(true);
  });
});
