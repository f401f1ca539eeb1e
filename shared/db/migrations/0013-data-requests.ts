import { sql, type Kysely } from 'kysely';

/**
 * `data_requests`: one row per customers/data_request webhook (docs/privacy.md), keyed by the
 * request id Shopify sends, with the JSON export the worker built from what we hold about the
 * customer: orders, storefront events, holdout exposures, credits and the published lists. The
 * merchant downloads it from the admin API (`GET /api/data-requests/:id`). Only the per-shop
 * customer pseudonym is kept, never the Shopify id, email or phone of the payload; a later
 * customers/redact of the same customer deletes the row (its export names them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table data_requests (
      shop text not null,
      id text not null,
      customer_key text,
      orders_requested jsonb not null default '[]',
      requested_at timestamptz not null,
      completed_at timestamptz not null,
      export jsonb not null,
      primary key (shop, id)
    );
    create index data_requests_shop_requested on data_requests (shop, requested_at desc);
    create index data_requests_customer on data_requests (shop, customer_key) where customer_key is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table data_requests`.execute(db);
}
