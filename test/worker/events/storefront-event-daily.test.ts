import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import * as eventDailyMigration from '../../../shared/db/migrations/0010-event-daily';
import type { StorefrontEventEntry } from '../../../shared/tracking';
import { writeEventBatch } from '../../../worker/events';
import { BACKENDS, type TestDatabase } from '../../support/databases';

const SHOP = 'event-daily.myshopify.com';
const AT = Date.UTC(2026, 10, 27, 23, 59, 0);
const TABLES = ['storefront_event_daily', 'storefront_event_counts', 'storefront_event_receipts', 'storefront_events'] as const;

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
    placement: 'for_you',
    product_id: '7001',
    position: 0,
    model_version: null,
    sponsored: false,
    token: `t${n}`,
    ...overrides,
  };
}

/** storefront_event_daily as sorted `shop|day|placement|model|sponsored|impressions|clicks|adds` lines. */
async function daily(t: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`
    select concat_ws('|', shop, day::text, placement, model_version, sponsored::text, impressions, clicks, add_to_carts) as line
    from storefront_event_daily
  `.execute(t.db);
  return rows.map((r) => r.line).sort();
}

/** storefront_event_counts folded over product and type, in the same form as `daily`. */
async function countsWithoutProduct(t: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`
    select concat_ws('|', shop, day::text, placement, model_version, sponsored::text,
      coalesce(sum(count) filter (where type = 'impression'), 0),
      coalesce(sum(count) filter (where type = 'click'), 0),
      coalesce(sum(count) filter (where type = 'add_to_cart'), 0)) as line
    from storefront_event_counts
    group by shop, day, placement, model_version, sponsored
  `.execute(t.db);
  return rows.map((r) => r.line).sort();
}

/** The rollup computed apart from the events: every distinct event id counted once. */
function expected(events: readonly StorefrontEventEntry[]): string[] {
  const seen = new Set<string>();
  const rows = new Map<string, [number, number, number]>();
  for (const e of events) {
    if (seen.has(`${e.shop}|${e.id}`)) continue;
    seen.add(`${e.shop}|${e.id}`);
    const key = [e.shop, new Date(e.occurred_at).toISOString().slice(0, 10), e.placement, e.model_version ?? '', String(e.sponsored)].join('|');
    const r = rows.get(key) ?? [0, 0, 0];
    r[e.type === 'impression' ? 0 : e.type === 'click' ? 1 : 2]++;
    rows.set(key, r);
  }
  return [...rows.entries()].map(([k, r]) => [k, ...r].join('|')).sort();
}

describe.each(BACKENDS)('storefront_event_daily on %s', (name, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    for (const table of TABLES) await t.db.deleteFrom(table).execute();
  });

  it('adds each new event once by UTC day, placement, model version and sponsorship, whatever its product; a redelivery adds nothing', async () => {
    const batch = [
      entry(1),
      entry(2, { product_id: '7002' }),
      entry(3, { type: 'click' }),
      entry(4, { type: 'add_to_cart', variant_id: '1', quantity: 2, product_id: '7003' }),
      entry(5, { occurred_at: AT + 120_000 }),
      entry(6, { model_version: '12' }),
      entry(7, { placement: 'related' }),
      entry(8, { shop: 'other.myshopify.com' }),
    ];
    await writeEventBatch(t.db, batch);
    const once = await daily(t);
    expect(once).toEqual([
      `${SHOP}|2026-11-27|for_you||false|2|1|1`,
      `${SHOP}|2026-11-27|for_you|12|false|1|0|0`,
      `${SHOP}|2026-11-27|related||false|1|0|0`,
      `${SHOP}|2026-11-28|for_you||false|1|0|0`,
      'other.myshopify.com|2026-11-27|for_you||false|1|0|0',
    ].sort());
    await writeEventBatch(t.db, batch);
    expect(await daily(t)).toEqual(once);
    // A later batch with some new and some already received events adds only the new ones.
    await writeEventBatch(t.db, [entry(1), entry(9, { type: 'click' })]);
    expect(await daily(t)).toEqual([
      `${SHOP}|2026-11-27|for_you||false|2|2|1`,
      `${SHOP}|2026-11-27|for_you|12|false|1|0|0`,
      `${SHOP}|2026-11-27|related||false|1|0|0`,
      `${SHOP}|2026-11-28|for_you||false|1|0|0`,
      'other.myshopify.com|2026-11-27|for_you||false|1|0|0',
    ].sort());
  });

  it('equals the distinct events and storefront_event_counts without the product, whatever the batches, duplicates and concurrency', async () => {
    const event = fc.record({
      n: fc.nat({ max: 40 }),
      type: fc.constantFrom('impression' as const, 'click' as const, 'add_to_cart' as const),
      placement: fc.constantFrom('for_you', 'related'),
      product: fc.constantFrom('7001', '7002', '7003'),
      model: fc.constantFrom(null, '3', '4'),
      sponsored: fc.boolean(),
      minutes: fc.integer({ min: -3, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(event, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }), async (batches) => {
        for (const table of TABLES) await t.db.deleteFrom(table).execute();
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
                model_version: e.model,
                sponsored: e.sponsored,
                occurred_at: AT + e.minutes * 60_000,
                ...(e.type === 'add_to_cart' ? { variant_id: '1', quantity: 1 } : {}),
              });
              byId.set(e.n, made);
            }
            return made;
          }),
        );
        if (name === 'postgres') await Promise.all(entries.map((batch) => writeEventBatch(t.db, batch)));
        else for (const batch of entries) await writeEventBatch(t.db, batch);
        const rows = await daily(t);
        expect(rows).toEqual(expected(entries.flat()));
        expect(rows).toEqual(await countsWithoutProduct(t));
      }),
      { numRuns: 25 },
    );
  });

  it('migration 0010 backfills it from the counts an install already has', async () => {
    // Counts written before the rollup existed: several products, types and days per daily row.
    const counts = [
      { shop: SHOP, day: '2026-11-01', placement: 'for_you', type: 'impression' as const, product_id: '1', model_version: '', sponsored: false, count: '5' },
      { shop: SHOP, day: '2026-11-01', placement: 'for_you', type: 'impression' as const, product_id: '2', model_version: '', sponsored: false, count: '3' },
      { shop: SHOP, day: '2026-11-01', placement: 'for_you', type: 'click' as const, product_id: '2', model_version: '', sponsored: false, count: '2' },
      { shop: SHOP, day: '2026-11-01', placement: 'for_you', type: 'add_to_cart' as const, product_id: '1', model_version: '', sponsored: false, count: '1' },
      { shop: SHOP, day: '2026-11-01', placement: 'for_you', type: 'click' as const, product_id: '1', model_version: '9', sponsored: false, count: '4' },
      { shop: SHOP, day: '2026-11-01', placement: 'sponsored', type: 'click' as const, product_id: '1', model_version: '', sponsored: true, count: '6' },
      { shop: SHOP, day: '2026-11-02', placement: 'for_you', type: 'impression' as const, product_id: '1', model_version: '', sponsored: false, count: '7' },
      { shop: 'other.myshopify.com', day: '2026-11-01', placement: 'for_you', type: 'impression' as const, product_id: '1', model_version: '', sponsored: false, count: '8' },
    ];
    await t.db.insertInto('storefront_event_counts').values(counts).execute();
    await t.db.transaction().execute(async (trx) => {
      const db = trx as unknown as Kysely<unknown>;
      await eventDailyMigration.down(db);
      await eventDailyMigration.up(db);
    });
    expect(await daily(t)).toEqual([
      `${SHOP}|2026-11-01|for_you||false|8|2|1`,
      `${SHOP}|2026-11-01|for_you|9|false|0|4|0`,
      `${SHOP}|2026-11-01|sponsored||true|0|6|0`,
      `${SHOP}|2026-11-02|for_you||false|7|0|0`,
      'other.myshopify.com|2026-11-01|for_you||false|8|0|0',
    ].sort());
    // The writer goes on from the backfilled rows.
    await writeEventBatch(t.db, [entry(1, { occurred_at: Date.UTC(2026, 10, 2, 12) })]);
    expect(await daily(t)).toContain(`${SHOP}|2026-11-02|for_you||false|8|0|0`);
  });
});
