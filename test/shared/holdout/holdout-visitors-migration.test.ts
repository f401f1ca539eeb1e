import { sql } from 'kysely';
import { migrateToLatest, type HoldoutGroup } from '../../../shared/db';
import { storeMigratedTo } from '../../support/migrated-to';

describe.each(['pglite', 'postgres'] as const)('migration 0011-holdout-visitors on %s', (kind) => {
  it('backfills one row per shop and visitor from the existing exposures, then the trigger keeps it', async () => {
    const store = await storeMigratedTo(kind, '0010-event-daily');
    try {
      const { db } = store;
      const expose = (shop: string, visitor_key: string, day: string, grp: HoldoutGroup) =>
        db.insertInto('holdout_exposures').values({ shop, visitor_key, day, grp, first_seen_at: new Date() }).execute();
      await expose('a.myshopify.com', 'v1', '2026-11-03', 'treatment');
      await expose('a.myshopify.com', 'v1', '2026-11-01', 'treatment');
      await expose('a.myshopify.com', 'v2', '2026-11-02', 'holdout');
      await expose('a.myshopify.com', 'v2', '2026-11-05', 'treatment');
      await expose('b.myshopify.com', 'v1', '2026-11-04', 'holdout');

      await migrateToLatest(db);
      const visitors = () =>
        db.selectFrom('holdout_visitors').select(['shop', 'visitor_key', 'first_day', 'last_day', 'grp', 'mixed']).orderBy('shop').orderBy('visitor_key').execute();
      expect(await visitors()).toEqual([
        { shop: 'a.myshopify.com', visitor_key: 'v1', first_day: '2026-11-01', last_day: '2026-11-03', grp: 'treatment', mixed: false },
        { shop: 'a.myshopify.com', visitor_key: 'v2', first_day: '2026-11-02', last_day: '2026-11-05', grp: 'holdout', mixed: true },
        { shop: 'b.myshopify.com', visitor_key: 'v1', first_day: '2026-11-04', last_day: '2026-11-04', grp: 'holdout', mixed: false },
      ]);

      // Written after the migration: an insert widens, a delete rebuilds, a truncate empties.
      await expose('b.myshopify.com', 'v1', '2026-10-30', 'holdout');
      await db.deleteFrom('holdout_exposures').where('shop', '=', 'a.myshopify.com').where('visitor_key', '=', 'v2').where('grp', '=', 'treatment').execute();
      await db.deleteFrom('holdout_exposures').where('shop', '=', 'a.myshopify.com').where('visitor_key', '=', 'v1').where('day', '=', '2026-11-01').execute();
      expect(await visitors()).toEqual([
        { shop: 'a.myshopify.com', visitor_key: 'v1', first_day: '2026-11-03', last_day: '2026-11-03', grp: 'treatment', mixed: false },
        { shop: 'a.myshopify.com', visitor_key: 'v2', first_day: '2026-11-02', last_day: '2026-11-02', grp: 'holdout', mixed: false },
        { shop: 'b.myshopify.com', visitor_key: 'v1', first_day: '2026-10-30', last_day: '2026-11-04', grp: 'holdout', mixed: false },
      ]);
      await sql`truncate holdout_exposures`.execute(db);
      expect(await visitors()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
