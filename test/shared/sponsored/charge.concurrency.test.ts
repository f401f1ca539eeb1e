import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Db } from '../../../shared/db';
import { chargeClick, chargeKey, type ChargeOutcome, type ClickToCharge } from '../../../shared/sponsored/charge';
import { campaignMoney, insertCampaign, separatePools } from './support/campaigns';

/** Independent pools, as if that many worker processes charged at once. */
const POOLS = 8;
const DAY0 = Date.UTC(2026, 10, 28, 9);
const DAY_MS = 86_400_000;

interface Fired {
  click: ClickToCharge;
  outcome: ChargeOutcome;
}

/**
 * Fires every click at once, round-robin over the pools, each in a transaction of its own (as a
 * batch of one), and returns what each call answered.
 */
async function storm(dbs: Db[], clicks: ClickToCharge[]): Promise<Fired[]> {
  return Promise.all(clicks.map(async (click, i) => ({ click, outcome: await chargeClick(dbs[i % dbs.length]!, click) })));
}

/** Same-seed shuffle, so a failing fast-check case replays with the same firing order. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function sponsoredClick(shop: string, campaignId: string, impressionId: string, priceMinor: number, clickedAtMs: number, visitorKey: string | null = null): ClickToCharge {
  return {
    shop,
    eventId: randomUUID(),
    impressionId,
    productId: '7001',
    placement: 'sponsored',
    token: `2.s0.0.7001.x.${impressionId}.3.c${campaignId}`,
    visitorKey,
    campaignId,
    priceMinor,
    clickedAtMs,
  };
}

/** Every charge key decided once: one answer other than `duplicate` per key, one ledger row per key. */
function expectEachKeyDecidedOnce(fired: Fired[], ledgerKeys: string[]) {
  const decided = new Map<string, number>();
  for (const f of fired) {
    if (f.outcome.status === 'duplicate') continue;
    const key = chargeKey(f.click);
    decided.set(key, (decided.get(key) ?? 0) + 1);
  }
  const distinct = new Set(fired.map((f) => chargeKey(f.click)));
  expect([...decided.values()].every((n) => n === 1)).toBe(true);
  expect(decided.size).toBe(distinct.size);
  expect([...ledgerKeys].sort()).toEqual([...distinct].sort());
}

describe('chargeClick under concurrent click storms (PostgreSQL, separate pools)', () => {
  let pools: Awaited<ReturnType<typeof separatePools>>;

  beforeAll(async () => {
    pools = await separatePools(POOLS, 2);
  });
  afterAll(async () => {
    await pools?.close();
  });

  it('charges exactly what the budget allows, never more, each token once (fixed storm: 1,500 firings, equal prices)', async () => {
    const shop = 'storm-fixed.myshopify.com';
    const budget = 1000;
    const price = 7;
    // The day's budget binds (the total has more): refused clicks are budget_exhausted, the campaign stays active.
    const id = await insertCampaign(pools.dbs[0]!, { shop, maxCpcMinor: 10, dailyBudgetMinor: budget, totalBudgetMinor: 3 * budget });
    // 600 tokens; every fourth clicked three times (a double click, a reload), the rest once.
    const clicks: ClickToCharge[] = [];
    for (let i = 0; i < 600; i++) {
      const c = sponsoredClick(shop, id, `fixed${i}`, price, DAY0 + i * 1000);
      clicks.push(c);
      if (i % 4 === 0) clicks.push({ ...c, eventId: randomUUID() }, { ...c, eventId: randomUUID() });
    }
    while (clicks.length < 1500) clicks.push({ ...clicks[clicks.length % 600]!, eventId: randomUUID() });
    const fired = await storm(pools.dbs, shuffle(clicks, 42));

    const money = await campaignMoney(pools.dbs[0]!, id);
    expectEachKeyDecidedOnce(fired, money.ledger.map((r) => r.chargeKey));
    // 600 distinct clicks would pay 4,200; the budget is 1,000: 142 full clicks and one of 6.
    expect(money.spentTotalMinor).toBe(budget);
    expect(money.ledgerChargedMinor).toBe(budget);
    expect(money.dailySpentMinor).toBe(budget);
    const charged = money.ledger.filter((r) => r.status === 'charged');
    expect(charged).toHaveLength(Math.ceil(budget / price));
    expect(charged.filter((r) => r.amountMinor < price).map((r) => r.amountMinor)).toEqual([budget % price]);
    expect(money.days).toEqual([{ day: '2026-11-28', spentMinor: budget, clicks: Math.ceil(budget / price) }]);
    expect(money.status).toBe('active');
    const refused = money.ledger.filter((r) => r.status === 'not_charged');
    expect(refused).toHaveLength(600 - charged.length);
    expect(new Set(refused.map((r) => r.reason))).toEqual(new Set(['budget_exhausted']));
    expect(fired.filter((f) => f.outcome.status === 'duplicate')).toHaveLength(1500 - 600);
  });

  it('charges a visitor once per campaign and product even when the repeat clicks race', async () => {
    const shop = 'storm-repeat.myshopify.com';
    const id = await insertCampaign(pools.dbs[0]!, { shop, dailyBudgetMinor: 10_000, totalBudgetMinor: 10_000 });
    // 40 impressions of one product clicked by one visitor within a minute, fired in random
    // order (a later click may be charged first), and 10 other visitors.
    const clicks = [
      ...Array.from({ length: 40 }, (_, i) => sponsoredClick(shop, id, `rep${i}`, 9, DAY0 + i * 1000, 'sameVisitor')),
      ...Array.from({ length: 10 }, (_, i) => sponsoredClick(shop, id, `oth${i}`, 9, DAY0 + i * 1000, `visitor${i}`)),
    ];
    const fired = await storm(pools.dbs, shuffle(clicks, 7));
    const same = fired.filter((f) => f.click.visitorKey === 'sameVisitor').map((f) => f.outcome);
    expect(same.filter((o) => o.status === 'charged')).toHaveLength(1);
    expect(same.filter((o) => o.status === 'not_charged' && o.reason === 'repeat_click')).toHaveLength(39);
    expect(fired.filter((f) => f.click.visitorKey !== 'sameVisitor').every((f) => f.outcome.status === 'charged')).toBe(true);
    const money = await campaignMoney(pools.dbs[0]!, id);
    expect(money.spentTotalMinor).toBe(11 * 9);
    expect(money.ledgerChargedMinor).toBe(money.spentTotalMinor);
  });

  it('never overspends a budget, and refuses no click while budget was left, under random storms (fast-check)', async () => {
    const campaignArb = fc.record({
      maxCpcMinor: fc.integer({ min: 1, max: 30 }),
      dailyMultiple: fc.integer({ min: 1, max: 12 }),
      dailyExtra: fc.integer({ min: 0, max: 29 }),
      totalMultiple: fc.integer({ min: 1, max: 3 }),
    });
    const tokenArb = fc.record({
      campaign: fc.nat(),
      priceSeed: fc.integer({ min: 0, max: 1_000_000 }),
      day: fc.integer({ min: 0, max: 1 }),
      copies: fc.integer({ min: 1, max: 3 }),
    });
    let run = 0;
    const figures = { firings: 0, tokens: 0, chargedClicks: 0, spentMinor: 0, budgetMinor: 0, bindingCampaigns: 0, campaigns: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(campaignArb, { minLength: 1, maxLength: 3 }), fc.array(tokenArb, { minLength: 20, maxLength: 150, size: 'max' }), fc.integer(), async (campaignSpecs, tokens, seed) => {
        const shop = `storm-${++run}-${randomUUID().slice(0, 8)}.myshopify.com`;
        const db = pools.dbs[0]!;
        const campaigns: Array<{ id: string; maxCpcMinor: number; daily: number; total: number }> = [];
        for (const spec of campaignSpecs) {
          const daily = spec.maxCpcMinor * spec.dailyMultiple + spec.dailyExtra;
          const total = daily * spec.totalMultiple;
          const id = await insertCampaign(db, { shop, maxCpcMinor: spec.maxCpcMinor, dailyBudgetMinor: daily, totalBudgetMinor: total });
          campaigns.push({ id, maxCpcMinor: spec.maxCpcMinor, daily, total });
        }
        const clicks: ClickToCharge[] = [];
        const prices = new Map<string, Array<{ day: number; price: number }>>();
        tokens.forEach((t, i) => {
          const campaign = campaigns[t.campaign % campaigns.length]!;
          const price = 1 + (t.priceSeed % campaign.maxCpcMinor);
          const c = sponsoredClick(shop, campaign.id, `s${i}`, price, DAY0 + t.day * DAY_MS + i * 1000);
          let list = prices.get(campaign.id);
          if (!list) prices.set(campaign.id, (list = []));
          list.push({ day: t.day, price });
          for (let k = 0; k < t.copies; k++) clicks.push({ ...c, eventId: randomUUID() });
        });
        const fired = await storm(pools.dbs, shuffle(clicks, seed));
        figures.firings += clicks.length;
        figures.tokens += tokens.length;
        figures.chargedClicks += fired.filter((f) => f.outcome.status === 'charged').length;

        const ledgerKeys: string[] = [];
        for (const campaign of campaigns) {
          const money = await campaignMoney(db, campaign.id);
          ledgerKeys.push(...money.ledger.map((r) => r.chargeKey));
          // Never overspent, and the three books agree.
          expect(money.spentTotalMinor).toBeLessThanOrEqual(campaign.total);
          for (const d of money.days) expect(d.spentMinor).toBeLessThanOrEqual(campaign.daily);
          expect(money.ledgerChargedMinor).toBe(money.spentTotalMinor);
          expect(money.dailySpentMinor).toBe(money.spentTotalMinor);
          for (const r of money.ledger) expect(r.amountMinor).toBeLessThanOrEqual(r.priceMinor);
          // Whatever the order, a click takes min(price, what is left): each day ends at
          // min(daily budget, what its clicks would pay), the campaign at most at its total.
          const perDay = [0, 1].map((day) => (prices.get(campaign.id) ?? []).filter((p) => p.day === day).reduce((a, p) => a + p.price, 0));
          const expected = Math.min(campaign.total, perDay.reduce((a, p) => a + Math.min(campaign.daily, p), 0));
          expect(money.spentTotalMinor).toBe(expected);
          figures.campaigns++;
          figures.spentMinor += money.spentTotalMinor;
          figures.budgetMinor += campaign.total;
          if (expected < perDay[0]! + perDay[1]!) figures.bindingCampaigns++;
          expect(money.status).toBe(expected === campaign.total ? 'exhausted' : 'active');
        }
        expectEachKeyDecidedOnce(fired, ledgerKeys);
      }),
      { numRuns: 15 },
    );
    if (process.env.SPONSORED_STORM_FIGURES) console.log('random storms', figures);
    // The storms were big enough for budgets to run out while clicks kept coming: the case that matters.
    expect(figures.bindingCampaigns).toBeGreaterThan(0);
  });
});
