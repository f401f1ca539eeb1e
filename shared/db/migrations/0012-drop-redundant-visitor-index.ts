import { sql, type Kysely } from 'kysely';

/**
 * order_revenue_visitor (0008) has the key and condition of order_revenue_visitor_net (0011),
 * which also covers the lift's columns: every order write maintained both for nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists order_revenue_visitor`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index order_revenue_visitor on order_revenue (shop, visitor_key) where visitor_key is not null`.execute(db);
}
