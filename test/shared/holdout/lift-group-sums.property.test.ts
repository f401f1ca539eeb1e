import fc from 'fast-check';
import type { Db, HoldoutGroup } from '../../../shared/db';
import { liftGroupSums, type GroupSums, type LiftRange } from '../../../shared/holdout';
import { BACKENDS, type TestDatabase } from '../../support/databases';

/**
 * liftGroupSums (holdout_visitors kept by its trigger, plus the exposure rows of the range's edge
 * visitors) must equal the plain definition of docs/holdout.md recomputed here from the raw rows,
 * whatever the exposures, their order of insertion, later deletes and group changes, the orders and
 * the range.
 */

const VISITORS = ['a', 'b', 'c', 'd', 'e', 'f'];
const GROUPS: HoldoutGroup[] = ['treatment', 'holdout'];
const DAYS = 14;
const day = (i: number) => `2026-11-${String(1 + i).padStart(2, '0')}`;

interface Exposure {
  visitor: string;
  day: number;
  grp: HoldoutGroup;
}
interface OrderRow {
  visitor: string | null;
  day: number;
  netMinor: number;
}

const exposure = fc.record({ visitor: fc.constantFrom(...VISITORS), day: fc.integer({ min: 0, max: DAYS - 1 }), grp: fc.constantFrom(...GROUPS) });
const orderRow = fc.record({
  visitor: fc.option(fc.constantFrom(...VISITORS, 'never-exposed'), { freq: 5 }),
  day: fc.integer({ min: 0, max: DAYS - 1 }),
  netMinor: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 })),
});
const change = fc.record({ kind: fc.constantFrom<'delete' | 'regroup'>('delete', 'regroup'), pick: fc.nat() });
/** A later write of a stored order_revenue row: a new net or day, the visitor link dropped (redact), or the row gone. */
const orderChange = fc.record({ kind: fc.constantFrom<'net' | 'day' | 'unlink' | 'delete'>('net', 'day', 'unlink', 'delete'), pick: fc.nat(), netMinor: fc.integer({ min: 0, max: 1_000_000 }), day: fc.integer({ min: 0, max: DAYS - 1 }) });
const scenario = fc.record({
  // Orders written before any exposure (a visitor's revenue row made when it is first exposed).
  earlyOrders: fc.array(orderRow, { maxLength: 6 }),
  orderChanges: fc.array(orderChange, { maxLength: 4 }),
  // Inserted in batches (one statement each), in this order: the trigger widens visitor rows.
  batches: fc.array(fc.array(exposure, { maxLength: 8 }), { maxLength: 5 }),
  changes: fc.array(change, { maxLength: 3 }),
  orders: fc.array(orderRow, { maxLength: 14 }),
  // Days -1 and DAYS fall outside every exposure.
  range: fc.tuple(fc.integer({ min: -1, max: DAYS }), fc.integer({ min: -1, max: DAYS })),
});

/** The definition, from the raw rows: exposures in the range, first exposure day, orders from it on. */
function plainSums(exposures: Exposure[], orders: OrderRow[], from: number, to: number): Record<HoldoutGroup, GroupSums> {
  const result: Record<HoldoutGroup, GroupSums> = {
    treatment: { visitors: 0, converting: 0, sumMinor: 0, sumSquaresMinor: 0 },
    holdout: { visitors: 0, converting: 0, sumMinor: 0, sumSquaresMinor: 0 },
  };
  for (const visitor of VISITORS) {
    const inRange = exposures.filter((e) => e.visitor === visitor && e.day >= from && e.day <= to);
    if (inRange.length === 0) continue;
    const groups = new Set(inRange.map((e) => e.grp));
    if (groups.size > 1) continue;
    const first = Math.min(...inRange.map((e) => e.day));
    const revenue = orders.filter((o) => o.visitor === visitor && o.day >= first && o.day <= to).reduce((sum, o) => sum + o.netMinor, 0);
    const sums = result[inRange[0]!.grp];
    sums.visitors += 1;
    if (revenue > 0) sums.converting += 1;
    sums.sumMinor += revenue;
    sums.sumSquaresMinor += revenue * revenue;
  }
  return result;
}

let orderIds = 0;
let shops = 0;

describe.each(BACKENDS)('liftGroupSums on %s equals the definition recomputed from the raw rows', (_name, open) => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  async function insertOrders(shop: string, orders: OrderRow[]): Promise<string[]> {
    if (orders.length === 0) return [];
    const ids = orders.map(() => String(++orderIds));
    await db
      .insertInto('order_revenue')
      .values(
        orders.map((o, i) => ({
          shop,
          order_id: ids[i]!,
          day: day(o.day),
          currency: 'EUR',
          presentment_currency: null,
          net_minor: o.netMinor,
          attributed_minor: 0,
          recommendation_minor: 0,
          sponsored_minor: 0,
          has_recommendation: false,
          visitor_key: o.visitor,
          customer_key: null,
          order_created_at: `${day(o.day)}T15:00:00Z`,
          computed_at: new Date(),
        })),
      )
      .execute();
    return ids;
  }

  it('for random exposures, changes, orders and ranges', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ earlyOrders, orderChanges, batches, changes, orders: lateOrders, range }) => {
        const shop = `lift-${++shops}.myshopify.com`;
        // Another shop with the same visitor keys, exposed and buying every day: never counted.
        const other = `other-${shops}.myshopify.com`;
        await db
          .insertInto('holdout_exposures')
          .values(VISITORS.map((visitor_key, i) => ({ shop: other, day: day(i % DAYS), visitor_key, grp: GROUPS[i % 2]!, first_seen_at: new Date() })))
          .execute();
        await insertOrders(other, VISITORS.map((visitor) => ({ visitor, day: 0, netMinor: 777 })));

        const orderRows = new Map<string, OrderRow>();
        const early = await insertOrders(shop, earlyOrders);
        early.forEach((id, i) => orderRows.set(id, earlyOrders[i]!));

        // The table's rows: one per visitor and day; a later batch's duplicate is ignored, as the writer does.
        const rows = new Map<string, Exposure>();
        for (const batch of batches) {
          const fresh = new Map<string, Exposure>();
          for (const e of batch) if (!rows.has(`${e.visitor}/${e.day}`) && !fresh.has(`${e.visitor}/${e.day}`)) fresh.set(`${e.visitor}/${e.day}`, e);
          if (fresh.size === 0) continue;
          await db
            .insertInto('holdout_exposures')
            .values([...fresh.values()].map((e) => ({ shop, day: day(e.day), visitor_key: e.visitor, grp: e.grp, first_seen_at: new Date() })))
            .onConflict((oc) => oc.columns(['shop', 'day', 'visitor_key']).doNothing())
            .execute();
          for (const [key, e] of fresh) rows.set(key, e);
        }
        for (const c of changes) {
          const keys = [...rows.keys()];
          if (keys.length === 0) break;
          const key = keys[c.pick % keys.length]!;
          const e = rows.get(key)!;
          if (c.kind === 'delete') {
            await db.deleteFrom('holdout_exposures').where('shop', '=', shop).where('day', '=', day(e.day)).where('visitor_key', '=', e.visitor).execute();
            rows.delete(key);
          } else {
            const grp: HoldoutGroup = e.grp === 'treatment' ? 'holdout' : 'treatment';
            await db.updateTable('holdout_exposures').set({ grp }).where('shop', '=', shop).where('day', '=', day(e.day)).where('visitor_key', '=', e.visitor).execute();
            rows.set(key, { ...e, grp });
          }
        }
        const late = await insertOrders(shop, lateOrders);
        late.forEach((id, i) => orderRows.set(id, lateOrders[i]!));
        for (const c of orderChanges) {
          const ids = [...orderRows.keys()];
          if (ids.length === 0) break;
          const id = ids[c.pick % ids.length]!;
          const o = orderRows.get(id)!;
          const row = db.updateTable('order_revenue').where('shop', '=', shop).where('order_id', '=', id);
          if (c.kind === 'delete') {
            await db.deleteFrom('order_revenue').where('shop', '=', shop).where('order_id', '=', id).execute();
            orderRows.delete(id);
          } else if (c.kind === 'net') {
            await row.set({ net_minor: c.netMinor }).execute();
            orderRows.set(id, { ...o, netMinor: c.netMinor });
          } else if (c.kind === 'day') {
            await row.set({ day: day(c.day) }).execute();
            orderRows.set(id, { ...o, day: c.day });
          } else {
            await row.set({ visitor_key: null }).execute();
            orderRows.set(id, { ...o, visitor: null });
          }
        }
        const orders = [...orderRows.values()];

        const [a, b] = range;
        const liftRange: LiftRange = { from: day(Math.min(a, b)), to: day(Math.max(a, b)) };
        // day(-1) is '2026-11-00': still a string before every exposure day, as the range compares text.
        const expected = plainSums([...rows.values()], orders, Math.min(a, b), Math.max(a, b));
        expect(await liftGroupSums(db, shop, liftRange)).toEqual(expected);
        // The same inside a caller's transaction (no transaction of its own there).
        expect(await db.transaction().execute((trx) => liftGroupSums(trx, shop, liftRange))).toEqual(expected);
        // And over every day, where each visitor's kept revenue counts (catches a stale one).
        expect(await liftGroupSums(db, shop, { from: day(-1), to: day(DAYS) })).toEqual(plainSums([...rows.values()], orders, -1, DAYS));
      }),
      { numRuns: 60 },
    );
  });
});
