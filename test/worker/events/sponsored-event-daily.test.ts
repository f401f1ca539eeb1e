import fc from 'fast-check';
import type { StorefrontEventEntry } from '../../../shared/tracking';
import { writeEventBatch } from '../../../worker/events';
import { insertCampaign } from '../../shared/sponsored/support/campaigns';
import { BACKENDS, type TestDatabase } from '../../support/databases';

const SHOP = 'sponsored-counts.myshopify.com';
const AT = Date.UTC(2026, 10, 27, 23, 59, 0);

function entry(n: number, overrides: Partial<StorefrontEventEntry> = {}): StorefrontEventEntry {
  return {
    v: 1,
    shop: SHOP,
    id: `event-${String(n).padStart(6, '0')}`,
    type: 'impression',
    occurred_at: AT,
    received_at: AT,
    consent: false,
    visitor_key: null,
    customer_key: null,
    impression_id: `imp${n}`,
    placement: 'sponsored',
    product_id: '7001',
    position: 0,
    model_version: null,
    sponsored: true,
    token: `t${n}`,
    ...overrides,
  };
}

async function stored(t: TestDatabase) {
  const rows = await t.db.selectFrom('sponsored_event_daily').selectAll().execute();
  return rows.map((r) => [r.day, String(r.campaign_id), r.placement, r.product_id, Number(r.impressions), Number(r.clicks), Number(r.add_to_carts)].join('|')).sort();
}

/** The rollup computed apart: every distinct event id with a campaign counted once. */
function expected(events: readonly StorefrontEventEntry[]) {
  const seen = new Set<string>();
  const rows = new Map<string, [number, number, number]>();
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    if (!e.campaign_id) continue;
    const key = [new Date(e.occurred_at).toISOString().slice(0, 10), e.campaign_id, e.placement, e.product_id].join('|');
    const r = rows.get(key) ?? [0, 0, 0];
    r[e.type === 'impression' ? 0 : e.type === 'click' ? 1 : 2]++;
    rows.set(key, r);
  }
  return [...rows.entries()].map(([k, r]) => [k, ...r].join('|')).sort();
}

describe.each(BACKENDS)('sponsored_event_daily written by the events batch writer on %s', (name, open) => {
  let t: TestDatabase;
  let campaigns: string[];
  beforeAll(async () => {
    t = await open();
    campaigns = [
      await insertCampaign(t.db, { shop: SHOP, dailyBudgetMinor: 100000, totalBudgetMinor: 1000000, maxCpcMinor: 30 }),
      await insertCampaign(t.db, { shop: SHOP, dailyBudgetMinor: 100000, totalBudgetMinor: 1000000, maxCpcMinor: 30 }),
    ];
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    for (const table of ['sponsored_event_daily', 'storefront_event_receipts', 'storefront_event_counts', 'sponsored_ledger', 'sponsored_daily_spend'] as const) await t.db.deleteFrom(table).execute();
  });

  it('counts each new event of a campaign once, by UTC day, placement and product; organic events and redeliveries add nothing', async () => {
    const [a, b] = campaigns as [string, string];
    const batch = [
      entry(1, { campaign_id: a, price_minor: 20 }),
      entry(2, { campaign_id: a, price_minor: 20, type: 'click' }),
      entry(3, { campaign_id: a, price_minor: 20, type: 'add_to_cart', variant_id: '1', quantity: 2 }),
      entry(4, { campaign_id: a, price_minor: 20, occurred_at: AT + 120_000 }),
      entry(5, { campaign_id: b, price_minor: 20, placement: 'related', product_id: '7002' }),
      entry(6, { sponsored: false, placement: 'related' }),
    ];
    await writeEventBatch(t.db, batch);
    const once = await stored(t);
    expect(once).toEqual([
      `2026-11-27|${a}|sponsored|7001|1|1|1`,
      `2026-11-27|${b}|related|7002|1|0|0`,
      `2026-11-28|${a}|sponsored|7001|1|0|0`,
    ]);
    // A redelivery (crash before XACK) changes nothing; the click was charged once.
    await writeEventBatch(t.db, batch);
    expect(await stored(t)).toEqual(once);
    expect(await t.db.selectFrom('sponsored_ledger').select('status').execute()).toEqual([{ status: 'charged' }]);
  });

  it('equals a count of the distinct events whatever the batches, duplicates and concurrency', async () => {
    const [a, b] = campaigns as [string, string];
    const event = fc.record({
      n: fc.nat({ max: 40 }),
      type: fc.constantFrom('impression' as const, 'click' as const, 'add_to_cart' as const),
      campaign: fc.constantFrom(a, b, null),
      placement: fc.constantFrom('sponsored' as const, 'related' as const),
      product: fc.constantFrom('7001', '7002'),
      minutes: fc.integer({ min: -3, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(event, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }), async (batches) => {
        for (const table of ['sponsored_event_daily', 'storefront_event_receipts', 'storefront_event_counts', 'sponsored_ledger', 'sponsored_daily_spend'] as const) await t.db.deleteFrom(table).execute();
        // An event id always carries the same event (as a redelivery does).
        const byId = new Map<number, StorefrontEventEntry>();
        const entries = batches.map((batch) =>
          batch.map((e) => {
            let made = byId.get(e.n);
            if (!made) {
              made = entry(e.n, {
                type: e.type,
                placement: e.placement,
                product_id: e.product,
                occurred_at: AT + e.minutes * 60_000,
                sponsored: e.campaign !== null,
                ...(e.campaign ? { campaign_id: e.campaign, price_minor: 10 } : {}),
                ...(e.type === 'add_to_cart' ? { variant_id: '1', quantity: 1 } : {}),
              });
              byId.set(e.n, made);
            }
            return made;
          }),
        );
        if (name === 'postgres') await Promise.all(entries.map((batch) => writeEventBatch(t.db, batch)));
        else for (const batch of entries) await writeEventBatch(t.db, batch);
        expect(await stored(t)).toEqual(expected(entries.flat()));
      }),
      { numRuns: 25 },
    );
  });
});
