import { sql, type Kysely } from 'kysely';

/**
 * `redactions`: what customers/redact erased, so that a later delivery cannot bring it back. Shopify
 * may still send orders/updated (a refund, a fulfilment) for an order whose customer was redacted;
 * such a write keeps no customer pseudonym and no `_shelfwise_visitor` cart attribute when its
 * customer (`kind` 'customer': a SHA-256 digest of the pseudonym orders carried, which is itself a
 * keyed per-shop HMAC of the Shopify id, so the table holds neither) or its order id (`kind`
 * 'order') is listed here. shop/redact erases the shop's rows with the rest.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table redactions (
      shop text not null,
      kind text not null,
      key text not null,
      redacted_at timestamptz not null default now(),
      primary key (shop, kind, key),
      constraint redactions_kind check (kind in ('customer', 'order'))
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table redactions`.execute(db);
}
