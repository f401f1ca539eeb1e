import fc from 'fast-check';
import { sql } from 'kysely';
import type { Db } from '../../../shared/db';
import { createLogger } from '../../../shared/logger';
import { recommendationTokenKey, signRecommendationToken, TOKEN_PROPERTY } from '../../../shared/tracking';
import { createOrderAttribution, reattributeOrder } from '../../../worker/attribution';
import { rebuildDailyRollup } from './support/daily-rollup';
import { createIngestProcessor } from '../../../worker/ingest';
import { BACKENDS, type TestDatabase } from '../../support/databases';
import { clearStore } from '../../support/dump';
import { orderPayload, refundPayload } from '../../support/shopify-payloads';

const SHOP = 'rollup-refresh.myshopify.com';
const CUSTOMER_ID_KEY = 'test-customer-id-key-0123456789';
const TOKEN_KEY = recommendationTokenKey(Buffer.alloc(32, 12));
const ROLLUPS = ['attribution_daily', 'attribution_daily_orders', 'store_daily'] as const;
const WRITTEN = ['order_attributions', 'order_revenue', ...ROLLUPS] as const;

function token(productId: string, campaignId: string | null, modelVersion: string): string {
  return signRecommendationToken(TOKEN_KEY, SHOP, {
    impressionId: `imp-${productId}`,
    placement: campaignId ? 'sponsored' : productId === '1' ? 'fbt' : 'related',
    productId,
    position: 0,
    modelVersion,
    sponsored: campaignId !== null,
    issuedAt: Math.floor(Date.parse('2024-01-31T00:00:00Z') / 1000),
    sponsorship: campaignId ? { campaignId, priceMinor: 25 } : null,
  });
}

const TOKENS = [token('1', null, '42'), token('2', '5', '42'), token('3', null, '43'), token('4', '6', '43')];

function job(topic: string, body: unknown) {
  return { shop: SHOP, topic, webhookId: `wh-${Math.random()}`, receivedAt: '2024-03-01T00:00:00.000Z', body: JSON.stringify(body) };
}

/** Every row of a table with its xmin: the transaction that last wrote it. */
async function rowsWithXmin(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<{ row: string }>`select xmin::text || ' ' || row_to_json(t)::text as row from ${sql.table(table)} t`.execute(db);
  return rows.map((r) => r.row).sort();
}

async function rollups(db: Db): Promise<string[][]> {
  const out: string[][] = [];
  for (const table of ROLLUPS) {
    const { rows } = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(table)} t`.execute(db);
    out.push(rows.map((r) => r.row).sort());
  }
  return out;
}

describe.each(BACKENDS)('rollup refresh of changed keys on %s', (_name, open) => {
  let t: TestDatabase;
  let ingest: ReturnType<typeof createIngestProcessor>;
  const deps = (at: string) => ({ db: t.db, tokenKey: TOKEN_KEY, customerIdKey: CUSTOMER_ID_KEY, now: () => new Date(at) });
  beforeAll(async () => {
    t = await open();
    ingest = createIngestProcessor({ db: t.db, logger: createLogger({ level: 'silent' }), customerIdKey: CUSTOMER_ID_KEY, attributeOrder: createOrderAttribution(deps('2024-03-01T00:00:00Z')).attributeOrder });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await clearStore(t.db);
    for (const table of [...WRITTEN, 'attribution_settings']) await sql`delete from ${sql.table(table)}`.execute(t.db);
  });

  function order(id: number, day: string, lines: Array<{ token: number | null; price: number; quantity: number }>, cancelled = false, version = 0) {
    return orderPayload({
      id,
      created_at: `${day}T10:00:00Z`,
      // Each version newer than the last, so that it is stored.
      updated_at: new Date(Date.parse('2024-02-05T00:00:00Z') + version * 60_000).toISOString(),
      cancelled_at: cancelled ? `${day}T12:00:00Z` : null,
      customer: null,
      line_items: lines.map((l, k) => ({
        id: id * 10 + k,
        product_id: l.token === null ? 9 : l.token + 1,
        variant_id: 1,
        title: 'P',
        quantity: l.quantity,
        price: (l.price / 100).toFixed(2),
        properties: l.token === null ? [] : [{ name: TOKEN_PROPERTY, value: TOKENS[l.token]! }],
      })),
    });
  }

  it('a redelivery writes no row at all, and returns no rollup day', async () => {
    await ingest(job('orders/create', order(7001, '2024-02-01', [{ token: 0, price: 500, quantity: 2 }, { token: 1, price: 300, quantity: 1 }, { token: null, price: 100, quantity: 1 }])));
    await ingest(job('orders/create', order(7002, '2024-02-01', [{ token: 2, price: 250, quantity: 1 }])));
    const before = await Promise.all(WRITTEN.map((table) => rowsWithXmin(t.db, table)));
    expect(before.every((rows) => rows.length > 0)).toBe(true);
    const again = await reattributeOrder(deps('2024-03-09T00:00:00Z'), SHOP, '7001');
    expect(again).toEqual({ credits: 2, days: [] });
    // Same rows from the same transactions (xmin), computed_at included: nothing rewritten.
    expect(await Promise.all(WRITTEN.map((table) => rowsWithXmin(t.db, table)))).toEqual(before);
    // A refund of one line changes that line's credit and the rollup rows of its keys only.
    await ingest(job('refunds/create', refundPayload({ id: 9101, order_id: 7001, refund_line_items: [{ line_item_id: 70010, quantity: 1, subtotal_set: { shop_money: { amount: '5.00', currency_code: 'GBP' } } }] })));
    const after = await Promise.all(WRITTEN.map((table) => rowsWithXmin(t.db, table)));
    const credits = await t.db.selectFrom('order_attributions').select(['line_item_id', 'net_minor']).orderBy('line_item_id').execute();
    expect(credits).toEqual([{ line_item_id: '70010', net_minor: 500 }, { line_item_id: '70011', net_minor: 300 }, { line_item_id: '70020', net_minor: 250 }]);
    const unchanged = (i: number) => after[i]!.filter((row) => before[i]!.includes(row)).length;
    expect(unchanged(0)).toBe(2); // order_attributions: the two other credits
    expect(unchanged(1)).toBe(1); // order_revenue: order 7002
    expect(unchanged(2)).toBe(2); // attribution_daily: the sponsored and the model-43 rows
  });

  it('refreshing the changed keys leaves the rollups equal to a full rebuild of their days, whatever the changes', async () => {
    const line = fc.record({ token: fc.option(fc.nat({ max: TOKENS.length - 1 }), { nil: null }), price: fc.integer({ min: 1, max: 900 }), quantity: fc.integer({ min: 1, max: 3 }) });
    const step = fc.record({
      id: fc.integer({ min: 8001, max: 8004 }),
      day: fc.constantFrom('2024-02-01', '2024-02-02'),
      lines: fc.array(line, { minLength: 1, maxLength: 4 }),
      cancelled: fc.boolean(),
      refund: fc.option(fc.record({ line: fc.nat({ max: 3 }), amount: fc.integer({ min: 1, max: 2000 }) }), { nil: null }),
    });
    let refundId = 1;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        for (const table of WRITTEN) await sql`delete from ${sql.table(table)}`.execute(t.db);
        await clearStore(t.db);
        for (const [version, s] of steps.entries()) {
          // An order may move day between versions (created_at edited), leaving its old day's keys.
          await ingest(job(s.cancelled ? 'orders/cancelled' : 'orders/updated', order(s.id, s.day, s.lines, s.cancelled, version + 1)));
          if (s.refund && s.refund.line < s.lines.length) {
            const amount = (s.refund.amount / 100).toFixed(2);
            await ingest(job('refunds/create', refundPayload({ id: refundId++, order_id: s.id, refund_line_items: [{ line_item_id: s.id * 10 + s.refund.line, quantity: 1, subtotal_set: { shop_money: { amount, currency_code: 'GBP' } } }] })));
          }
        }
        const stored = await t.db.selectFrom('orders').select(['id', 'created_at', 'cancelled_at']).orderBy('id').execute();
        expect(stored.map((o) => o.id)).toEqual([...new Set(steps.map((s) => String(s.id)))].sort());
        const last = new Map(steps.map((s) => [String(s.id), s]));
        expect(stored.map((o) => [o.created_at.toISOString().slice(0, 10), o.cancelled_at !== null])).toEqual(stored.map((o) => [last.get(o.id)!.day, last.get(o.id)!.cancelled]));
        const refreshed = await rollups(t.db);
        await t.db.transaction().execute((trx) => rebuildDailyRollup(trx, SHOP, ['2024-02-01', '2024-02-02']));
        expect(refreshed).toEqual(await rollups(t.db));
      }),
      { numRuns: 12 },
    );
  });
});
