import { sql, type Kysely } from 'kysely';

/**
 * Fewer indexes to maintain on every credit written (a 100-line order writes 100 rows):
 * - order_attributions_impression (0007): no query reads credits by impression;
 * - order_attributions_day (0007) served the per-day rollup recount, which rollup deltas replaced;
 *   the vendor statement, the one reader by day, reads sponsored credits only, so a partial index
 *   of those takes its place.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists order_attributions_impression`.execute(db);
  await sql`drop index if exists order_attributions_day`.execute(db);
  await sql`create index order_attributions_sponsored_day on order_attributions (shop, day) where sponsored`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists order_attributions_sponsored_day`.execute(db);
  await sql`create index order_attributions_day on order_attributions (shop, day)`.execute(db);
  await sql`create index order_attributions_impression on order_attributions (shop, impression_id)`.execute(db);
}
