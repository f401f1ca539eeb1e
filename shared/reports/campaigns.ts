import { sql } from 'kysely';
import type { Db } from '../db';
import { attributedFigures, type AttributedFigures } from './attributed-figures';
import { sponsoredEventFigures, type EventFigures } from './event-counts';
import { reportHead } from './head';
import { rangeDays, type ReportRange } from './range';
import { ratio } from './ratios';
import type { CampaignDay, CampaignReport, CampaignRow, CampaignsReport } from './types';

interface CampaignRecord {
  id: string;
  name: string;
  vendor: string;
  status: string;
  daily_budget_minor: number;
  total_budget_minor: number;
  spent_total_minor: number;
}

interface SpendRow {
  key: string;
  spent_minor: number;
  clicks: number;
}

async function campaignRecords(db: Db, shop: string, id?: string): Promise<CampaignRecord[]> {
  let q = db
    .selectFrom('sponsored_campaigns')
    .select([sql<string>`id::text`.as('id'), 'name', 'vendor', 'status', 'daily_budget_minor', 'total_budget_minor', 'spent_total_minor'])
    .where('shop', '=', shop);
  if (id !== undefined) q = q.where('id', '=', id);
  return (await q.orderBy('id').execute()).map((r) => ({ ...r, daily_budget_minor: Number(r.daily_budget_minor), total_budget_minor: Number(r.total_budget_minor), spent_total_minor: Number(r.spent_total_minor) }));
}

/** Charged clicks and spend of the range (sponsored_daily_spend, the spend day), per campaign or per day of one. */
async function spend(db: Db, shop: string, range: ReportRange, campaignId?: string): Promise<Map<string, SpendRow>> {
  const key = campaignId === undefined ? sql`campaign_id::text` : sql`day::text`;
  const only = campaignId === undefined ? sql`` : sql`and campaign_id = ${campaignId}::bigint`;
  const { rows } = await sql<SpendRow>`
    select ${key} as key, sum(spent_minor)::bigint as spent_minor, sum(clicks)::bigint as clicks
    from sponsored_daily_spend
    where shop = ${shop} and day >= ${range.from} and day <= ${range.to} ${only}
    group by 1
  `.execute(db);
  return new Map(rows.map((r) => [r.key, { key: r.key, spent_minor: Number(r.spent_minor), clicks: Number(r.clicks) }]));
}

function campaignRow(c: CampaignRecord, e: EventFigures | undefined, s: SpendRow | undefined, a: AttributedFigures | undefined): CampaignRow {
  const impressions = e?.impressions ?? 0;
  const clicks = e?.clicks ?? 0;
  const spendMinor = s?.spent_minor ?? 0;
  const sales = a?.netMinor ?? 0;
  return {
    campaignId: c.id,
    name: c.name,
    vendor: c.vendor,
    status: c.status,
    impressions,
    clicks,
    ctr: ratio(clicks, impressions),
    chargedClicks: s?.clicks ?? 0,
    spendMinor,
    attributedOrders: a?.orders ?? 0,
    attributedSalesMinor: sales,
    roas: ratio(sales, spendMinor),
    acos: ratio(spendMinor, sales),
    dailyBudgetMinor: c.daily_budget_minor,
    totalBudgetMinor: c.total_budget_minor,
    spentTotalMinor: c.spent_total_minor,
    budgetBurn: ratio(c.spent_total_minor, c.total_budget_minor),
  };
}

/** Every campaign of the shop with its figures over the range (docs/reports.md), by id. */
export async function campaignsReport(db: Db, shop: string, range: ReportRange): Promise<CampaignsReport> {
  const [head, campaigns, events, spent, attributed] = await Promise.all([
    reportHead(db, shop, range),
    campaignRecords(db, shop),
    sponsoredEventFigures(db, shop, range, { campaign: true }),
    spend(db, shop, range),
    attributedFigures(db, shop, range, 'campaign'),
  ]);
  const ev = new Map(events.map((r) => [r.key, r]));
  const at = new Map(attributed.map((r) => [r.key, r]));
  return { ...head, rows: campaigns.map((c) => campaignRow(c, ev.get(c.id), spent.get(c.id), at.get(c.id))) };
}

/** One campaign's row and its series (every day of the range), or null when the shop has no such campaign. */
export async function campaignReport(db: Db, shop: string, params: ReportRange & { campaignId: string }): Promise<CampaignReport | null> {
  if (!/^\d{1,18}$/.test(params.campaignId)) return null;
  const range = { from: params.from, to: params.to };
  const id = params.campaignId;
  const [campaign] = await campaignRecords(db, shop, id);
  if (!campaign) return null;
  const [head, eventDays, spentDays, attributedDays] = await Promise.all([
    reportHead(db, shop, range),
    sponsoredEventFigures(db, shop, range, { day: true, campaignId: id }),
    spend(db, shop, range, id),
    attributedFigures(db, shop, range, { campaignDays: id }),
  ]);
  const ev = new Map(eventDays.map((r) => [r.key, r]));
  const at = new Map(attributedDays.map((r) => [r.key, r]));
  const series: CampaignDay[] = rangeDays(range).map((day) => ({
    day,
    impressions: ev.get(day)?.impressions ?? 0,
    clicks: ev.get(day)?.clicks ?? 0,
    spendMinor: spentDays.get(day)?.spent_minor ?? 0,
    attributedOrders: at.get(day)?.orders ?? 0,
    attributedSalesMinor: at.get(day)?.netMinor ?? 0,
  }));
  const total = <T>(rows: Iterable<T>, f: (r: T) => number) => [...rows].reduce((s, r) => s + f(r), 0);
  const row = campaignRow(
    campaign,
    { key: id, sponsored: true, impressions: total(eventDays, (r) => r.impressions), clicks: total(eventDays, (r) => r.clicks), addToCarts: total(eventDays, (r) => r.addToCarts) },
    { key: id, spent_minor: total(spentDays.values(), (r) => r.spent_minor), clicks: total(spentDays.values(), (r) => r.clicks) },
    {
      key: id,
      sponsored: true,
      orders: total(attributedDays, (r) => r.orders),
      clickOrders: total(attributedDays, (r) => r.clickOrders),
      lineItems: total(attributedDays, (r) => r.lineItems),
      netMinor: total(attributedDays, (r) => r.netMinor),
    },
  );
  return { ...head, campaign: row, series };
}
