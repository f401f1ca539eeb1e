import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../shared/db';
import { chargeClick, REPEAT_CLICK_SECONDS, type ClickToCharge } from '../../../shared/sponsored/charge';
import { BACKENDS, type TestDatabase } from '../../support/databases';
import { campaignMoney, insertCampaign } from './support/campaigns';

const SHOP = 'charge.myshopify.com';
const OTHER_SHOP = 'elsewhere.myshopify.com';
/** 2026-11-28 12:00 UTC. */
const NOON = Date.UTC(2026, 10, 28, 12);
const MINUTE = 60_000;

let impressions = 0;
/** A click on a fresh impression token (its own charge key) unless told otherwise. */
function click(campaignId: string, overrides: Partial<ClickToCharge> = {}): ClickToCharge {
  const impressionId = overrides.impressionId ?? `imp${++impressions}`;
  const productId = overrides.productId ?? '7001';
  return {
    shop: SHOP,
    eventId: randomUUID(),
    impressionId,
    productId,
    placement: 'related',
    token: `2.r0.0.${productId}.x.${impressionId}.3.c${campaignId}`,
    visitorKey: null,
    campaignId,
    priceMinor: 12,
    clickedAtMs: NOON,
    ...overrides,
  };
}

describe.each(BACKENDS)('chargeClick (%s)', (_name, open) => {
  let database: TestDatabase;
  let db: Db;

  beforeEach(async () => {
    database = await open();
    db = database.db;
  });
  afterEach(async () => {
    await database.close();
  });

  /** The three places spend is kept agree: ledger amounts, the campaign's total, the days' sum. */
  async function expectBooksBalance(campaignId: string) {
    const money = await campaignMoney(db, campaignId);
    expect(money.ledgerChargedMinor).toBe(money.spentTotalMinor);
    expect(money.dailySpentMinor).toBe(money.spentTotalMinor);
    expect(money.days.reduce((a, d) => a + d.clicks, 0)).toBe(money.ledger.filter((r) => r.status === 'charged').length);
    return money;
  }

  it('charges the token price and records the click in the ledger, the campaign and the day', async () => {
    const id = await insertCampaign(db, { shop: SHOP, dailyBudgetMinor: 1000, totalBudgetMinor: 5000, currency: 'SEK' });
    const c = click(id, { priceMinor: 37, visitorKey: 'vk1' });
    expect(await chargeClick(db, c)).toEqual({ status: 'charged', amountMinor: 37 });

    const money = await expectBooksBalance(id);
    expect(money.ledger).toEqual([
      {
        chargeKey: `${c.impressionId}:7001`,
        eventId: c.eventId,
        status: 'charged',
        reason: null,
        amountMinor: 37,
        priceMinor: 37,
        currency: 'SEK',
        day: '2026-11-28',
        visitorKey: 'vk1',
        token: c.token,
      },
    ]);
    expect(money.days).toEqual([{ day: '2026-11-28', spentMinor: 37, clicks: 1 }]);
    expect(money.spentTotalMinor).toBe(37);
    expect(money.status).toBe('active');
  });

  it("moves the campaign's updated_at only when it becomes exhausted (the web process re-reads campaigns when it moves)", async () => {
    const id = await insertCampaign(db, { shop: SHOP, maxCpcMinor: 30, dailyBudgetMinor: 50, totalBudgetMinor: 50 });
    const updatedAt = async () => {
      const row = await db.selectFrom('sponsored_campaigns').select(sql<string>`updated_at::text`.as('at')).where('id', '=', id).executeTakeFirstOrThrow();
      return row.at;
    };
    const created = await updatedAt();
    await new Promise((r) => setTimeout(r, 20));
    expect(await chargeClick(db, click(id, { priceMinor: 30 }))).toEqual({ status: 'charged', amountMinor: 30 });
    expect(await updatedAt()).toBe(created);
    expect(await chargeClick(db, click(id, { priceMinor: 30 }))).toEqual({ status: 'charged', amountMinor: 20 });
    expect(await updatedAt()).not.toBe(created);
    expect((await campaignMoney(db, id)).status).toBe('exhausted');
  });

  it('charges an impression token once: a second click on it is a duplicate and writes nothing', async () => {
    const id = await insertCampaign(db, { shop: SHOP, dailyBudgetMinor: 1000, totalBudgetMinor: 5000 });
    const first = click(id, { priceMinor: 20 });
    expect(await chargeClick(db, first)).toEqual({ status: 'charged', amountMinor: 20 });
    // The same event again, and another click event carrying the same token.
    expect(await chargeClick(db, first)).toEqual({ status: 'duplicate' });
    expect(await chargeClick(db, { ...first, eventId: randomUUID(), clickedAtMs: NOON + 5 * MINUTE })).toEqual({ status: 'duplicate' });

    const money = await expectBooksBalance(id);
    expect(money.ledger.map((r) => r.eventId)).toEqual([first.eventId]);
    expect(money.spentTotalMinor).toBe(20);
    expect(money.days).toEqual([{ day: '2026-11-28', spentMinor: 20, clicks: 1 }]);
  });

  it('records a click on a paused, draft, exhausted or ended campaign as not charged (campaign_inactive)', async () => {
    for (const status of ['paused', 'draft', 'exhausted', 'ended'] as const) {
      const id = await insertCampaign(db, { shop: SHOP, status, dailyBudgetMinor: 1000, totalBudgetMinor: 5000 });
      expect(await chargeClick(db, click(id))).toEqual({ status: 'not_charged', reason: 'campaign_inactive' });
      const money = await expectBooksBalance(id);
      expect(money.ledger.map((r) => [r.status, r.reason, r.amountMinor, r.priceMinor])).toEqual([['not_charged', 'campaign_inactive', 0, 12]]);
      expect(money.days).toEqual([]);
      expect(money.status).toBe(status);
    }
  });

  it('never charges more than the bid as it is now, nor a click after the campaign ended (campaign_ended)', async () => {
    // The token was priced at 40 when the bid was 45; the merchant has since lowered it to 10.
    const lowered = await insertCampaign(db, { shop: SHOP, maxCpcMinor: 10, dailyBudgetMinor: 1000, totalBudgetMinor: 5000 });
    expect(await chargeClick(db, click(lowered, { priceMinor: 40 }))).toEqual({ status: 'charged', amountMinor: 10 });
    await expectBooksBalance(lowered);
    // A token served before the end, clicked after it.
    const ended = await insertCampaign(db, { shop: SHOP, dailyBudgetMinor: 1000, totalBudgetMinor: 5000, endsAt: new Date(NOON - MINUTE) });
    expect(await chargeClick(db, click(ended, { priceMinor: 20 }))).toEqual({ status: 'not_charged', reason: 'campaign_ended' });
    const money = await expectBooksBalance(ended);
    expect(money.spentTotalMinor).toBe(0);
    expect(money.ledger.map((r) => [r.status, r.reason, r.amountMinor])).toEqual([['not_charged', 'campaign_ended', 0]]);
  });

  it('charges a visitor once per campaign and product within REPEAT_CLICK_SECONDS', async () => {
    expect(REPEAT_CLICK_SECONDS).toBe(1800);
    const id = await insertCampaign(db, { shop: SHOP, dailyBudgetMinor: 1000, totalBudgetMinor: 5000 });
    const other = await insertCampaign(db, { shop: SHOP, dailyBudgetMinor: 1000, totalBudgetMinor: 5000 });
    const t0 = NOON;
    expect(await chargeClick(db, click(id, { visitorKey: 'vk1', clickedAtMs: t0 }))).toEqual({ status: 'charged', amountMinor: 12 });
    // Another impression of the same product, same visitor: within the window.
    expect(await chargeClick(db, click(id, { visitorKey: 'vk1', clickedAtMs: t0 + 10 * MINUTE }))).toEqual({ status: 'not_charged', reason: 'repeat_click' });
    expect(await chargeClick(db, click(id, { visitorKey: 'vk1', clickedAtMs: t0 + 30 * MINUTE - 1000 }))).toEqual({ status: 'not_charged', reason: 'repeat_click' });
    // Anyone else, another product, another campaign, or a visitor we cannot know: charged.
    expect(await chargeClick(db, click(id, { visitorKey: 'vk2', clickedAtMs: t0 + 10 * MINUTE }))).toMatchObject({ status: 'charged' });
    expect(await chargeClick(db, click(id, { visitorKey: 'vk1', productId: '7002', clickedAtMs: t0 + 10 * MINUTE }))).toMatchObject({ status: 'charged' });
    expect(await chargeClick(db, click(other, { visitorKey: 'vk1', clickedAtMs: t0 + 10 * MINUTE }))).toMatchObject({ status: 'charged' });
    expect(await chargeClick(db, click(id, { clickedAtMs: t0 + 10 * MINUTE }))).toMatchObject({ status: 'charged' });
    expect(await chargeClick(db, click(id, { clickedAtMs: t0 + 11 * MINUTE }))).toMatchObject({ status: 'charged' });
    // Thirty minutes after the charged click (the uncharged repeats do not extend the window).
    expect(await chargeClick(db, click(id, { visitorKey: 'vk1', clickedAtMs: t0 + 30 * MINUTE }))).toEqual({ status: 'charged', amountMinor: 12 });
    expect(await chargeClick(db, click(id, { visitorKey: 'vk1', clickedAtMs: t0 + 45 * MINUTE }))).toEqual({ status: 'not_charged', reason: 'repeat_click' });

    const money = await expectBooksBalance(id);
    expect(money.ledger.map((r) => r.reason)).toEqual([null, 'repeat_click', 'repeat_click', null, null, null, null, null, 'repeat_click']);
    expect(money.spentTotalMinor).toBe(6 * 12);
  });

  it('stops an earlier click of the visitor when a later one was charged first (entries arrive out of click order)', async () => {
    const id = await insertCampaign(db, { shop: SHOP, dailyBudgetMinor: 1000, totalBudgetMinor: 5000 });
    expect(await chargeClick(db, click(id, { visitorKey: 'vk1', clickedAtMs: NOON }))).toMatchObject({ status: 'charged' });
    expect(await chargeClick(db, click(id, { visitorKey: 'vk1', clickedAtMs: NOON - 29 * MINUTE }))).toEqual({ status: 'not_charged', reason: 'repeat_click' });
    expect(await chargeClick(db, click(id, { visitorKey: 'vk1', clickedAtMs: NOON - 30 * MINUTE }))).toMatchObject({ status: 'charged' });
    expect((await expectBooksBalance(id)).spentTotalMinor).toBe(24);
  });

  it('looks back across midnight for a repeat click', async () => {
    const id = await insertCampaign(db, { shop: SHOP, dailyBudgetMinor: 1000, totalBudgetMinor: 5000 });
    const midnight = Date.UTC(2026, 10, 29);
    expect(await chargeClick(db, click(id, { visitorKey: 'vk1', clickedAtMs: midnight - 5 * MINUTE }))).toMatchObject({ status: 'charged' });
    expect(await chargeClick(db, click(id, { visitorKey: 'vk1', clickedAtMs: midnight + 5 * MINUTE }))).toEqual({ status: 'not_charged', reason: 'repeat_click' });
    const money = await expectBooksBalance(id);
    expect(money.ledger.map((r) => r.day)).toEqual(['2026-11-28', '2026-11-29']);
  });

  it('charges what is left of the daily budget, then nothing (budget_exhausted), and starts afresh the next UTC day', async () => {
    const id = await insertCampaign(db, { shop: SHOP, maxCpcMinor: 30, dailyBudgetMinor: 50, totalBudgetMinor: 1000 });
    expect(await chargeClick(db, click(id, { priceMinor: 30 }))).toEqual({ status: 'charged', amountMinor: 30 });
    expect(await chargeClick(db, click(id, { priceMinor: 30 }))).toEqual({ status: 'charged', amountMinor: 20 });
    expect(await chargeClick(db, click(id, { priceMinor: 30 }))).toEqual({ status: 'not_charged', reason: 'budget_exhausted' });
    expect(await chargeClick(db, click(id, { priceMinor: 1, clickedAtMs: Date.UTC(2026, 10, 28, 23, 59, 59, 999) }))).toEqual({
      status: 'not_charged',
      reason: 'budget_exhausted',
    });
    const nextDay = Date.UTC(2026, 10, 29, 0, 0, 0);
    expect(await chargeClick(db, click(id, { priceMinor: 30, clickedAtMs: nextDay }))).toEqual({ status: 'charged', amountMinor: 30 });

    const money = await expectBooksBalance(id);
    expect(money.days).toEqual([
      { day: '2026-11-28', spentMinor: 50, clicks: 2 },
      { day: '2026-11-29', spentMinor: 30, clicks: 1 },
    ]);
    expect(money.ledger.map((r) => [r.day, r.status, r.amountMinor, r.priceMinor])).toEqual([
      ['2026-11-28', 'charged', 30, 30],
      ['2026-11-28', 'charged', 20, 30],
      ['2026-11-28', 'not_charged', 0, 30],
      ['2026-11-28', 'not_charged', 0, 1],
      ['2026-11-29', 'charged', 30, 30],
    ]);
    expect(money.status).toBe('active');
  });

  it('charges the rest of the total budget, then marks the campaign exhausted and charges nothing more', async () => {
    const id = await insertCampaign(db, { shop: SHOP, maxCpcMinor: 40, dailyBudgetMinor: 100, totalBudgetMinor: 100, spentTotalMinor: 0 });
    const afterDay = Date.UTC(2026, 10, 29, 12);
    expect(await chargeClick(db, click(id, { priceMinor: 40 }))).toEqual({ status: 'charged', amountMinor: 40 });
    expect(await chargeClick(db, click(id, { priceMinor: 40 }))).toEqual({ status: 'charged', amountMinor: 40 });
    expect((await campaignMoney(db, id)).status).toBe('active');
    expect(await chargeClick(db, click(id, { priceMinor: 40 }))).toEqual({ status: 'charged', amountMinor: 20 });
    const money = await expectBooksBalance(id);
    expect(money.status).toBe('exhausted');
    expect(money.spentTotalMinor).toBe(100);
    // Exhausted is not active, whatever the day.
    expect(await chargeClick(db, click(id, { priceMinor: 5, clickedAtMs: afterDay }))).toEqual({ status: 'not_charged', reason: 'campaign_inactive' });
    expect((await expectBooksBalance(id)).spentTotalMinor).toBe(100);
  });

  it('caps by the total budget left even when the day has more', async () => {
    // Spent before (on earlier days): 990 of 1000.
    const id = await insertCampaign(db, { shop: SHOP, maxCpcMinor: 50, dailyBudgetMinor: 500, totalBudgetMinor: 1000, spentTotalMinor: 990 });
    expect(await chargeClick(db, click(id, { priceMinor: 50 }))).toEqual({ status: 'charged', amountMinor: 10 });
    const money = await campaignMoney(db, id);
    expect(money.spentTotalMinor).toBe(1000);
    expect(money.status).toBe('exhausted');
    expect(money.days).toEqual([{ day: '2026-11-28', spentMinor: 10, clicks: 1 }]);
  });

  it('closes an active campaign whose total was cut down to its spend at its next click', async () => {
    const id = await insertCampaign(db, { shop: SHOP, maxCpcMinor: 50, dailyBudgetMinor: 500, totalBudgetMinor: 700, spentTotalMinor: 700 });
    expect(await chargeClick(db, click(id))).toEqual({ status: 'not_charged', reason: 'budget_exhausted' });
    const money = await campaignMoney(db, id);
    expect(money.status).toBe('exhausted');
    expect(money.spentTotalMinor).toBe(700);
    // A day's budget running out leaves the campaign active.
    const daily = await insertCampaign(db, { shop: SHOP, maxCpcMinor: 12, dailyBudgetMinor: 12, totalBudgetMinor: 700 });
    expect(await chargeClick(db, click(daily))).toEqual({ status: 'charged', amountMinor: 12 });
    expect(await chargeClick(db, click(daily))).toEqual({ status: 'not_charged', reason: 'budget_exhausted' });
    expect((await campaignMoney(db, daily)).status).toBe('active');
  });

  it('does not charge a campaign of another shop, nor one that does not exist, and writes nothing (unknown_campaign)', async () => {
    const theirs = await insertCampaign(db, { shop: OTHER_SHOP, dailyBudgetMinor: 1000, totalBudgetMinor: 5000 });
    expect(await chargeClick(db, click(theirs))).toEqual({ status: 'not_charged', reason: 'unknown_campaign' });
    expect(await chargeClick(db, click('999999'))).toEqual({ status: 'not_charged', reason: 'unknown_campaign' });
    expect(await chargeClick(db, click('not-a-number'))).toEqual({ status: 'not_charged', reason: 'unknown_campaign' });
    const money = await campaignMoney(db, theirs);
    expect(money.ledger).toEqual([]);
    expect(money.spentTotalMinor).toBe(0);
    expect(await db.selectFrom('sponsored_ledger').select('id').execute()).toEqual([]);
  });

  it('records a click priced at 0 (a reserve of 0) as not charged, without calling the budget spent', async () => {
    const id = await insertCampaign(db, { shop: SHOP, dailyBudgetMinor: 1000, totalBudgetMinor: 5000 });
    expect(await chargeClick(db, click(id, { priceMinor: 0 }))).toEqual({ status: 'not_charged', reason: 'zero_price' });
    const money = await expectBooksBalance(id);
    expect(money.ledger.map((r) => [r.status, r.reason])).toEqual([['not_charged', 'zero_price']]);
  });

  it("charges inside the caller's transaction: rolled back, nothing is charged", async () => {
    const id = await insertCampaign(db, { shop: SHOP, dailyBudgetMinor: 1000, totalBudgetMinor: 5000 });
    const c = click(id, { priceMinor: 25 });
    await expect(
      db.transaction().execute(async (trx) => {
        expect(await chargeClick(trx, c)).toEqual({ status: 'charged', amountMinor: 25 });
        throw new Error('the receipt could not be written');
      }),
    ).rejects.toThrow('the receipt could not be written');
    let money = await expectBooksBalance(id);
    expect(money.ledger).toEqual([]);
    expect(money.spentTotalMinor).toBe(0);
    // So the click can be charged when the batch is retried.
    expect(await db.transaction().execute((trx) => chargeClick(trx, c))).toEqual({ status: 'charged', amountMinor: 25 });
    money = await expectBooksBalance(id);
    expect(money.spentTotalMinor).toBe(25);
  });

  it('keeps ledger, campaign total and daily spend equal over a long mixed sequence', async () => {
    const id = await insertCampaign(db, { shop: SHOP, maxCpcMinor: 45, dailyBudgetMinor: 300, totalBudgetMinor: 1000 });
    const visitors = ['vkA', 'vkB', null];
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 150; i++) {
      const at = NOON + i * 29 * MINUTE;
      const c = click(id, { priceMinor: 5 + ((i * 7) % 41), visitorKey: visitors[i % 3]!, productId: String(7000 + (i % 2)), clickedAtMs: at });
      const outcome = await chargeClick(db, c);
      const label = outcome.status === 'not_charged' ? outcome.reason : outcome.status;
      outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
      if (i % 5 === 0) expect(await chargeClick(db, c)).toEqual({ status: 'duplicate' });
    }
    const money = await expectBooksBalance(id);
    for (const d of money.days) expect(d.spentMinor).toBeLessThanOrEqual(300);
    expect(money.spentTotalMinor).toBeLessThanOrEqual(1000);
    // The sequence runs long enough to exhaust the campaign: it stopped exactly at the total.
    expect(money.spentTotalMinor).toBe(1000);
    expect(money.status).toBe('exhausted');
    expect(outcomes.get('charged')).toBeGreaterThan(0);
    expect(outcomes.get('budget_exhausted')).toBeGreaterThan(0);
    expect(outcomes.get('campaign_inactive')).toBeGreaterThan(0);
  });
});
