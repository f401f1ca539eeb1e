import { sql } from 'kysely';
import type { Db } from '../../../shared/db';
import { shopTrafficSchedule, STRAIGHT_LINE, type PacingSchedule } from '../../../shared/sponsored';
import { DEFAULT_SPONSORED_SETTINGS, type BookCampaign, type CampaignBook, type SpendSnapshot } from './campaign-book';

/** Observed click-through counts look this far back. */
const OBSERVED_DAYS = 30;
/** The day's traffic shape is read from this many of the shop's latest orders… */
const SHAPE_ORDERS = 5000;
/** …and only trusted from this many on (fewer: the straight line). */
const MIN_SHAPE_ORDERS = 200;

/**
 * Reads a shop's active campaigns, their products, its settings and the observed sponsored
 * counts (four queries at once). The spend is read apart (loadSpend), far more often.
 */
export async function loadCampaignBook(db: Db, shop: string, nowMs: number): Promise<CampaignBook> {
  const since = new Date(nowMs - OBSERVED_DAYS * 86_400_000).toISOString().slice(0, 10);
  const [settings, campaigns, products, observed, hours] = await Promise.all([
    db.selectFrom('sponsored_settings').selectAll().where('shop', '=', shop).executeTakeFirst(),
    db
      .selectFrom('sponsored_campaigns')
      .select(['id', 'vendor', 'max_cpc_minor', 'daily_budget_minor', 'total_budget_minor', 'starts_at', 'ends_at', 'placements'])
      .where('shop', '=', shop)
      .where('status', '=', 'active')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('sponsored_campaign_products as p')
      .innerJoin('sponsored_campaigns as c', 'c.id', 'p.campaign_id')
      .select(['p.campaign_id', 'p.product_id'])
      .where('p.shop', '=', shop)
      .where('c.status', '=', 'active')
      .orderBy('p.campaign_id')
      .orderBy('p.product_id')
      .execute(),
    db
      .selectFrom('storefront_event_counts')
      .select(['product_id', 'type', sql<string>`sum(count)`.as('n')])
      .where('shop', '=', shop)
      .where('sponsored', '=', true)
      .where('day', '>=', since)
      .where('type', 'in', ['impression', 'click'])
      .groupBy(['product_id', 'type'])
      .execute(),
    sql<{ hour: number; n: number }>`
      select extract(hour from created_at at time zone 'UTC')::int as hour, count(*)::int as n
      from (select created_at from orders where shop = ${shop} order by created_at desc limit ${SHAPE_ORDERS}) latest
      group by 1`.execute(db),
  ]);
  const productsOf = new Map<string, string[]>();
  for (const row of products) {
    const id = String(row.campaign_id);
    let list = productsOf.get(id);
    if (!list) productsOf.set(id, (list = []));
    list.push(row.product_id);
  }
  const book: BookCampaign[] = campaigns.map((c) => ({
    id: String(c.id),
    vendor: c.vendor,
    maxCpcMinor: Number(c.max_cpc_minor),
    dailyBudgetMinor: Number(c.daily_budget_minor),
    totalBudgetMinor: Number(c.total_budget_minor),
    startsAt: new Date(c.starts_at).getTime(),
    endsAt: c.ends_at === null ? null : new Date(c.ends_at).getTime(),
    placements: new Set(typeof c.placements === 'string' ? (JSON.parse(c.placements) as string[]) : (c.placements as unknown as string[])),
    productIds: productsOf.get(String(c.id)) ?? [],
  }));
  const seen = new Map<string, { impressions: number; clicks: number }>();
  for (const row of observed) {
    let counts = seen.get(row.product_id);
    if (!counts) seen.set(row.product_id, (counts = { impressions: 0, clicks: 0 }));
    if (row.type === 'impression') counts.impressions += Number(row.n);
    else counts.clicks += Number(row.n);
  }
  return {
    settings: settings
      ? {
          relevanceThreshold: Number(settings.relevance_threshold),
          reserveMinor: Number(settings.reserve_minor),
          slotsPerBlock: Number(settings.slots_per_block),
          frequencyCapPerDay: Number(settings.frequency_cap_per_day),
        }
      : DEFAULT_SPONSORED_SETTINGS,
    campaigns: book,
    observed: seen,
    schedule: daySchedule(hours.rows),
  };
}

/**
 * Pacing follows the hours the shop's orders come in (UTC; shopTrafficSchedule keeps 10 % of the
 * day spread evenly); a shop with too few orders to tell gets the straight line. Orders stand for storefront traffic:
 * a store that sells little at night is browsed little at night, and a budget spread evenly over
 * the clock would be mostly due in hours with no one to show it to.
 */
function daySchedule(rows: ReadonlyArray<{ hour: number; n: number }>): PacingSchedule {
  const perHour = new Array<number>(24).fill(0);
  let total = 0;
  for (const { hour, n } of rows) {
    perHour[Number(hour)] = Number(n);
    total += Number(n);
  }
  if (total < MIN_SHAPE_ORDERS) return STRAIGHT_LINE;
  return shopTrafficSchedule(perHour);
}

/**
 * A fingerprint of what loadCampaignBook reads apart from the counts: campaigns (any edit moves
 * updated_at), their products and the settings. The counts change all day; they are re-read with
 * the next revision change or after the book's age limit.
 */
export async function campaignBookRevision(db: Db, shop: string): Promise<string> {
  const { rows } = await sql<{ revision: string }>`
    select concat_ws('|',
      (select concat_ws('/', count(*), max(updated_at), sum(hashtext(concat_ws(':', id, status)))) from sponsored_campaigns where shop = ${shop}),
      (select concat_ws('/', count(*), sum(hashtext(concat_ws(':', campaign_id, product_id)))) from sponsored_campaign_products where shop = ${shop}),
      (select updated_at::text from sponsored_settings where shop = ${shop})
    ) as revision`.execute(db);
  return rows[0]?.revision ?? '';
}

/** Today's spend per campaign and the active campaigns' totals: two small indexed reads. */
export async function loadSpend(db: Db, shop: string, day: string): Promise<SpendSnapshot> {
  const [today, active] = await Promise.all([
    db.selectFrom('sponsored_daily_spend').select(['campaign_id', 'spent_minor']).where('shop', '=', shop).where('day', '=', day).execute(),
    db.selectFrom('sponsored_campaigns').select(['id', 'spent_total_minor']).where('shop', '=', shop).where('status', '=', 'active').execute(),
  ]);
  return {
    day,
    today: new Map(today.map((r) => [String(r.campaign_id), Number(r.spent_minor)])),
    total: new Map(active.map((r) => [String(r.id), Number(r.spent_total_minor)])),
  };
}
