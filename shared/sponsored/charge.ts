import { sql, type Kysely } from 'kysely';
import type { Database } from '../db';
import { spendDay } from './spend-day';

/**
 * A visitor's click on the same campaign and product less than this many seconds from one
 * already charged (before or after it) is recorded but not charged (docs/sponsored.md, Charging).
 */
export const REPEAT_CLICK_SECONDS = 1800;

/** A click whose token carried a sponsorship, as the events consumer hands it over. */
export interface ClickToCharge {
  shop: string;
  /** The click event's id (its receipt). */
  eventId: string;
  /** The impression the token was issued for; with the product, the charge key. */
  impressionId: string;
  productId: string;
  placement: string;
  /** The signed token as the click carried it: the ledger row traces to it. */
  token: string;
  /** Per-shop visitor pseudonym, null without analytics consent (no repeat-click check then). */
  visitorKey: string | null;
  /** From the signed token; may name a campaign of another shop or one since deleted. */
  campaignId: string;
  /** The auction price the token carried, minor units of the campaign's currency. */
  priceMinor: number;
  /** When the click counts as made, epoch ms: dates the spend day and the repeat-click window. */
  clickedAtMs: number;
  /**
   * The web process saw this shopper (its address, consent or not) click the same campaign's
   * product within the repeat window already: recorded, never charged.
   */
  repeat?: boolean;
}

export type NotChargedReason = 'campaign_inactive' | 'campaign_ended' | 'repeat_click' | 'budget_exhausted' | 'zero_price' | 'unknown_campaign';

/**
 * What chargeClick did. `duplicate`: the charge key was already in the ledger, nothing written.
 * `unknown_campaign`: no such campaign in this shop, nothing written (the caller logs it). Every
 * other outcome wrote exactly one ledger row.
 */
export type ChargeOutcome =
  | { status: 'charged'; amountMinor: number }
  | { status: 'not_charged'; reason: NotChargedReason }
  | { status: 'duplicate' };

/** One charge per impression token: the ledger's unique key within a shop. */
export function chargeKey(click: Pick<ClickToCharge, 'impressionId' | 'productId'>): string {
  return `${click.impressionId}:${click.productId}`;
}

/**
 * Considers one sponsored click for a charge, inside the caller's transaction (given a plain
 * database handle, it opens one of its own): the charge lands with the event's receipt or not
 * at all.
 *
 * Everything is decided under a row lock on the campaign (`select … for update`), so any number
 * of workers charging the same campaign at once take turns, and each sees the ledger and spend
 * the one before it committed. This relies on READ COMMITTED (PostgreSQL's default, what the
 * events consumer uses): every statement after the lock reads a fresh snapshot.
 *
 * Budgets are never overspent: a click is charged at most what is left of the day's and the
 * total budget, and the campaign becomes `exhausted` when the total is spent.
 */
export async function chargeClick(db: Kysely<Database>, click: ClickToCharge): Promise<ChargeOutcome> {
  if (!db.isTransaction) return db.transaction().execute((trx) => chargeClick(trx, click));

  // The stream's schema admits only such ids; a direct caller's other id names no campaign.
  if (!/^[0-9]{1,18}$/.test(click.campaignId)) return { status: 'not_charged', reason: 'unknown_campaign' };
  const key = chargeKey(click);
  // The common redelivery case, answered before waiting for the campaign's lock.
  if (await ledgerHas(db, click.shop, key)) return { status: 'duplicate' };

  const campaign = await db
    .selectFrom('sponsored_campaigns')
    .select(['id', 'status', 'currency', 'daily_budget_minor', 'total_budget_minor', 'spent_total_minor', 'max_cpc_minor', 'ends_at'])
    .where('shop', '=', click.shop)
    .where('id', '=', click.campaignId)
    .forUpdate()
    .executeTakeFirst();
  if (!campaign) return { status: 'not_charged', reason: 'unknown_campaign' };

  // Under the lock, again: a transaction racing on this key committed before we got it.
  if (await ledgerHas(db, click.shop, key)) return { status: 'duplicate' };

  const day = spendDay(click.clickedAtMs);
  const decision = await decide(db, click, campaign, day);

  const inserted = await db
    .insertInto('sponsored_ledger')
    .values({
      shop: click.shop,
      charge_key: key,
      campaign_id: campaign.id,
      event_id: click.eventId,
      impression_id: click.impressionId,
      product_id: click.productId,
      placement: click.placement,
      token: click.token,
      visitor_key: click.visitorKey,
      price_minor: click.priceMinor,
      amount_minor: decision.status === 'charged' ? decision.amountMinor : 0,
      currency: campaign.currency,
      day,
      status: decision.status,
      reason: decision.status === 'charged' ? null : decision.reason,
      clicked_at: new Date(click.clickedAtMs),
    })
    // The same key under another campaign's lock (a key is the token's, so only a forged or
    // reissued token gets here): the other transaction's row wins, and nothing moves twice.
    .onConflict((oc) => oc.columns(['shop', 'charge_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return { status: 'duplicate' };
  if (decision.status !== 'charged') {
    if (decision.reason === 'budget_exhausted') await markExhaustedWhenSpent(db, campaign.id);
    return decision;
  }

  const amount = decision.amountMinor;
  const spendsTotal = sql<boolean>`spent_total_minor + ${amount} >= total_budget_minor`;
  await db
    .updateTable('sponsored_campaigns')
    .set({
      spent_total_minor: sql`spent_total_minor + ${amount}`,
      status: sql`case when ${spendsTotal} then 'exhausted' else status end`,
      // Spend is not an edit: the web process re-reads the campaigns when updated_at (or a
      // status) moves, and must not do so on every charged click.
      updated_at: sql`case when ${spendsTotal} then now() else updated_at end`,
    })
    .where('id', '=', campaign.id)
    .execute();
  await db
    .insertInto('sponsored_daily_spend')
    .values({ campaign_id: campaign.id, shop: click.shop, day, spent_minor: amount, clicks: 1 })
    .onConflict((oc) =>
      oc.columns(['campaign_id', 'day']).doUpdateSet({
        spent_minor: sql`sponsored_daily_spend.spent_minor + excluded.spent_minor`,
        clicks: sql`sponsored_daily_spend.clicks + 1`,
      }),
    )
    .execute();
  return decision;
}

interface LockedCampaign {
  id: string | number;
  status: string;
  daily_budget_minor: string | number;
  total_budget_minor: string | number;
  spent_total_minor: string | number;
  max_cpc_minor: number;
  ends_at: Date | string | null;
}

type Decision = { status: 'charged'; amountMinor: number } | { status: 'not_charged'; reason: NotChargedReason };

/** The rules of docs/sponsored.md (Charging), in their order, for a click under the campaign's lock. */
async function decide(db: Kysely<Database>, click: ClickToCharge, campaign: LockedCampaign, day: string): Promise<Decision> {
  if (campaign.status !== 'active') return { status: 'not_charged', reason: 'campaign_inactive' };
  // A token outlives its auction (up to a day): a click after the campaign's end is not charged.
  if (campaign.ends_at !== null && new Date(campaign.ends_at).getTime() <= click.clickedAtMs) return { status: 'not_charged', reason: 'campaign_ended' };

  if (click.repeat) return { status: 'not_charged', reason: 'repeat_click' };
  if (click.visitorKey !== null) {
    // Either side of this click: entries do not reach us in click order (a claimed batch, several
    // consumers, a late beacon), and a later click charged first must still stop an earlier one.
    // So two charged clicks of one visitor on one campaign and product are always a window apart.
    const windowMs = REPEAT_CLICK_SECONDS * 1000;
    const repeat = await db
      .selectFrom('sponsored_ledger')
      .select('id')
      .where('campaign_id', '=', campaign.id)
      // The window spans at most two spend days: lets the (campaign_id, day) index narrow it.
      .where('day', '>=', spendDay(click.clickedAtMs - windowMs))
      .where('day', '<=', spendDay(click.clickedAtMs + windowMs))
      .where('shop', '=', click.shop)
      .where('product_id', '=', click.productId)
      .where('visitor_key', '=', click.visitorKey)
      .where('status', '=', 'charged')
      .where('clicked_at', '>', new Date(click.clickedAtMs - windowMs))
      .where('clicked_at', '<', new Date(click.clickedAtMs + windowMs))
      .limit(1)
      .executeTakeFirst();
    if (repeat) return { status: 'not_charged', reason: 'repeat_click' };
  }

  const today = await db
    .selectFrom('sponsored_daily_spend')
    .select('spent_minor')
    .where('campaign_id', '=', campaign.id)
    .where('day', '=', day)
    .executeTakeFirst();
  // bigint columns: numbers from our parsers, strings by Kysely's types; Number() reads both.
  const dailyLeft = Number(campaign.daily_budget_minor) - Number(today?.spent_minor ?? 0);
  const totalLeft = Number(campaign.total_budget_minor) - Number(campaign.spent_total_minor);
  const budgetLeft = Math.min(dailyLeft, totalLeft);
  if (budgetLeft <= 0) return { status: 'not_charged', reason: 'budget_exhausted' };
  // A reserve of 0 can price a click at 0: recorded, but not as a budget that ran out.
  if (click.priceMinor <= 0) return { status: 'not_charged', reason: 'zero_price' };
  // Nor above the bid as it is now: a merchant who lowers a bid is never charged the old one.
  return { status: 'charged', amountMinor: Math.min(click.priceMinor, Number(campaign.max_cpc_minor), budgetLeft) };
}

/**
 * An active campaign can have its total spent without a charge having got it there: the merchant
 * cut the total budget down to the spend. Its first click after that closes it as a charge would.
 */
async function markExhaustedWhenSpent(db: Kysely<Database>, campaignId: string | number): Promise<void> {
  await db
    .updateTable('sponsored_campaigns')
    .set({ status: 'exhausted', updated_at: sql`now()` })
    .where('id', '=', campaignId)
    .where('status', '=', 'active')
    .where(sql<boolean>`spent_total_minor >= total_budget_minor`)
    .execute();
}

async function ledgerHas(db: Kysely<Database>, shop: string, key: string): Promise<boolean> {
  const row = await db
    .selectFrom('sponsored_ledger')
    .select('id')
    .where('shop', '=', shop)
    .where('charge_key', '=', key)
    .executeTakeFirst();
  return row !== undefined;
}
