import { migrateToLatest, type Db } from '../../../shared/db';
import { storeMigratedTo } from '../../support/migrated-to';

function order(db: Db, o: { shop: string; id: string; visitor: string | null; day: string; net: number }) {
  return db
    .insertInto('order_revenue')
    .values({
      shop: o.shop,
      order_id: o.id,
      day: o.day,
      currency: 'EUR',
      presentment_currency: null,
      net_minor: o.net,
      attributed_minor: 0,
      recommendation_minor: 0,
      sponsored_minor: 0,
      has_recommendation: false,
      visitor_key: o.visitor,
      customer_key: null,
      order_created_at: `${o.day}T12:00:00Z`,
      computed_at: new Date(),
    })
    .execute();
}

describe.each(['pglite', 'postgres'] as const)('migration 0016-holdout-visitor-revenue on %s', (kind) => {
  it("backfills each visitor's revenue from its first exposure day, then the triggers keep it", async () => {
    const store = await storeMigratedTo(kind, '0015-lean-credit-indexes');
    try {
      const { db } = store;
      await db
        .insertInto('holdout_exposures')
        .values([
          { shop: 'a.myshopify.com', visitor_key: 'v1', day: '2026-11-02', grp: 'treatment', first_seen_at: new Date() },
          { shop: 'a.myshopify.com', visitor_key: 'v2', day: '2026-11-01', grp: 'holdout', first_seen_at: new Date() },
          { shop: 'b.myshopify.com', visitor_key: 'v1', day: '2026-11-01', grp: 'holdout', first_seen_at: new Date() },
        ])
        .execute();
      // v1 of shop a bought before its first exposure (not counted) and twice after; v2 never.
      await order(db, { shop: 'a.myshopify.com', id: '1', visitor: 'v1', day: '2026-11-01', net: 500 });
      await order(db, { shop: 'a.myshopify.com', id: '2', visitor: 'v1', day: '2026-11-02', net: 300 });
      await order(db, { shop: 'a.myshopify.com', id: '3', visitor: 'v1', day: '2026-11-06', net: 200 });
      await order(db, { shop: 'a.myshopify.com', id: '4', visitor: null, day: '2026-11-06', net: 900 });
      await order(db, { shop: 'b.myshopify.com', id: '1', visitor: 'v1', day: '2026-11-03', net: 70 });

      await migrateToLatest(db);
      const revenue = () => db.selectFrom('holdout_visitors').select(['shop', 'visitor_key', 'revenue_minor', 'revenue_last_day']).orderBy('shop').orderBy('visitor_key').execute();
      expect(await revenue()).toEqual([
        { shop: 'a.myshopify.com', visitor_key: 'v1', revenue_minor: 500, revenue_last_day: '2026-11-06' },
        { shop: 'a.myshopify.com', visitor_key: 'v2', revenue_minor: 0, revenue_last_day: null },
        { shop: 'b.myshopify.com', visitor_key: 'v1', revenue_minor: 70, revenue_last_day: '2026-11-03' },
      ]);

      // After it: an earlier exposure widens v1's window to its first order; a refund lowers an
      // order; an order unlinked from its visitor (customers/redact) leaves its revenue.
      await db.insertInto('holdout_exposures').values({ shop: 'a.myshopify.com', visitor_key: 'v1', day: '2026-10-31', grp: 'treatment', first_seen_at: new Date() }).execute();
      await db.updateTable('order_revenue').set({ net_minor: 250 }).where('shop', '=', 'a.myshopify.com').where('order_id', '=', '2').execute();
      await db.updateTable('order_revenue').set({ visitor_key: null }).where('shop', '=', 'b.myshopify.com').where('order_id', '=', '1').execute();
      await order(db, { shop: 'a.myshopify.com', id: '5', visitor: 'v2', day: '2026-11-04', net: 40 });
      expect(await revenue()).toEqual([
        { shop: 'a.myshopify.com', visitor_key: 'v1', revenue_minor: 950, revenue_last_day: '2026-11-06' },
        { shop: 'a.myshopify.com', visitor_key: 'v2', revenue_minor: 40, revenue_last_day: '2026-11-04' },
        { shop: 'b.myshopify.com', visitor_key: 'v1', revenue_minor: 0, revenue_last_day: null },
      ]);
    } finally {
      await store.close();
    }
  });
});
