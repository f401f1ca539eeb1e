import type { Db, HoldoutGroup } from '../../../shared/db';
import { holdoutLift, readHoldoutShare, setHoldoutShare, welchDifference, Z_95, type GroupSums } from '../../../shared/holdout';
import { BACKENDS, type TestDatabase } from '../../support/databases';

const RANGE = { from: '2026-11-01', to: '2026-11-30' };

async function expose(db: Db, shop: string, rows: Array<[visitor: string, day: string, group: HoldoutGroup]>): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('holdout_exposures')
      .values(rows.slice(i, i + 500).map(([visitor_key, day, grp]) => ({ shop, day, visitor_key, grp, first_seen_at: `${day}T12:00:00Z` })))
      .execute();
  }
}

let orders = 0;
async function order(db: Db, shop: string, visitor: string | null, day: string, netMinor: number): Promise<void> {
  await db
    .insertInto('order_revenue')
    .values({
      shop,
      order_id: String(++orders),
      day,
      currency: 'EUR',
      presentment_currency: null,
      net_minor: netMinor,
      attributed_minor: 0,
      recommendation_minor: 0,
      sponsored_minor: 0,
      has_recommendation: false,
      visitor_key: visitor,
      customer_key: null,
      order_created_at: `${day}T15:00:00Z`,
      computed_at: new Date(),
    })
    .execute();
}

const sums = (revenues: number[]): GroupSums => ({
  visitors: revenues.length,
  converting: revenues.filter((r) => r > 0).length,
  sumMinor: revenues.reduce((a, b) => a + b, 0),
  sumSquaresMinor: revenues.reduce((a, b) => a + b * b, 0),
});

describe.each(BACKENDS)('holdoutLift on %s', (_name, open) => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await open();
    db = database.db;
  });
  afterAll(() => database.close());

  it('credits each visitor its orders from its first exposure day in the range, groups by exposure, and reports the Welch interval', async () => {
    const shop = 'lift.myshopify.com';
    await db.insertInto('shops').values({ domain: shop, active: true, currency: 'EUR' }).execute();
    // 150 treatment visitors (t0…t149) and 120 holdout visitors (h0…h119), exposed on various days.
    const rows: Array<[string, string, HoldoutGroup]> = [];
    const day = (i: number) => `2026-11-${String(2 + (i % 20)).padStart(2, '0')}`;
    for (let i = 0; i < 150; i++) rows.push([`t${i}`, day(i), 'treatment']);
    for (let i = 0; i < 120; i++) rows.push([`h${i}`, day(i), 'holdout']);
    // Seen again on a later day: one visitor, counted once, from the first day.
    rows.push(['t0', '2026-11-25', 'treatment'], ['h0', '2026-11-26', 'holdout']);
    // In both groups (the share changed mid-range): counted in neither, its order ignored.
    rows.push(['both', '2026-11-03', 'treatment'], ['both', '2026-11-04', 'holdout']);
    // Exposed outside the range only.
    rows.push(['early', '2026-10-30', 'treatment'], ['late', '2026-12-01', 'holdout']);
    await expose(db, shop, rows);
    await expose(db, 'other.myshopify.com', [['t1', '2026-11-05', 'holdout']]);

    const revenue = new Map<string, number>();
    const buy = async (visitor: string, d: string, minor: number, counts: boolean) => {
      await order(db, shop, visitor, d, minor);
      if (counts) revenue.set(visitor, (revenue.get(visitor) ?? 0) + minor);
    };
    // 25 treatment buyers (t0…t24), t0 twice; 12 holdout buyers (h0…h11).
    for (let i = 0; i < 25; i++) await buy(`t${i}`, day(i), 4000 + 100 * i, true);
    await buy('t0', '2026-11-28', 1500, true);
    for (let i = 0; i < 12; i++) await buy(`h${i}`, day(i), 2000 + 50 * i, true);
    // Not counted: before the visitor's first exposure, after the range, the both-groups visitor,
    // an order without a visitor, and another shop's order of a visitor with the same key.
    await buy('t30', '2026-11-01', 9000, false);
    await buy('t31', '2026-12-01', 9000, false);
    await buy('both', '2026-11-05', 9000, false);
    await order(db, shop, null, '2026-11-10', 9000);
    await order(db, 'other.myshopify.com', 't1', '2026-11-10', 9000);

    const lift = await holdoutLift(db, shop, RANGE);
    const perVisitor = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => revenue.get(`${prefix}${i}`) ?? 0);
    const t = sums(perVisitor('t', 150));
    const h = sums(perVisitor('h', 120));
    const w = welchDifference(t, h)!;
    expect(lift.visitors).toEqual({ treatment: 150, holdout: 120 });
    expect(lift.convertingVisitors).toEqual({ treatment: 25, holdout: 12 });
    expect(lift.revenuePerVisitorMinor).toEqual({ treatment: Math.round(t.sumMinor / 150), holdout: Math.round(h.sumMinor / 120) });
    expect(lift.incrementalPerVisitorMinor).toBe(Math.round(w.difference));
    expect(lift.incrementalRevenueMinor).toBe(Math.round(w.difference * 150));
    expect(lift.ci95PerVisitorMinor).toEqual([Math.floor(w.difference - Z_95 * w.standardError), Math.ceil(w.difference + Z_95 * w.standardError)]);
    expect(lift.status).toBe('ok');
    expect(lift.holdoutShare).toBe(0.05);
    expect(lift.significant).toBe(w.ci95[0] > 0 || w.ci95[1] < 0);
    expect(lift.message).toMatch(/EUR/);

    // A shorter range: fewer visitors, too small to conclude, and says so with the counts.
    const week = await holdoutLift(db, shop, { from: '2026-11-02', to: '2026-11-08' });
    expect(week.status).toBe('too_small');
    expect(week.visitors.holdout).toBe(42);
    expect(week.message).toBe('Not enough visitors in the holdout yet to conclude: 42 of the 100 needed.');
    expect(week.ci95PerVisitorMinor).toBeNull();
  });

  it('reads and sets the share: 5 % without a row, refused out of range, off at 0 without holdout visitors', async () => {
    const shop = 'share.myshopify.com';
    expect(await readHoldoutShare(db, shop)).toBe(500);
    expect(await setHoldoutShare(db, shop, 5001)).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(await setHoldoutShare(db, shop, 12.5)).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(await setHoldoutShare(db, shop, 1000)).toEqual({ ok: true, shareBp: 1000 });
    expect(await readHoldoutShare(db, shop)).toBe(1000);
    // The windows keep their defaults.
    const row = await db.selectFrom('attribution_settings').selectAll().where('shop', '=', shop).executeTakeFirstOrThrow();
    expect(row.recommendation_click_window_seconds).toBe(604800);
    // The database refuses what the setter refuses.
    await expect(db.updateTable('attribution_settings').set({ holdout_share_bp: 6000 }).where('shop', '=', shop).execute()).rejects.toThrow();
    await expect(db.updateTable('attribution_settings').set({ holdout_share_bp: -1 }).where('shop', '=', shop).execute()).rejects.toThrow();
    expect(await setHoldoutShare(db, shop, 0)).toEqual({ ok: true, shareBp: 0 });
    await expose(db, shop, [['v1', '2026-11-03', 'treatment']]);
    const off = await holdoutLift(db, shop, RANGE);
    expect(off.status).toBe('off');
    expect(off.visitors).toEqual({ treatment: 1, holdout: 0 });
    expect(off.holdoutShare).toBe(0);
  });
});
