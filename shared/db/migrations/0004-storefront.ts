import { sql, type Kysely } from 'kysely';

/**
 * What the storefront needs beside the catalog: merchant rules for the blocks, collection
 * membership (rules may name a collection), and the events the blocks send.
 *
 * Events: every accepted event leaves a receipt (its id, so a redelivery counts once) and adds to
 * the daily counts; only events sent with analytics consent are also kept one row each, with the
 * visitor's per-shop pseudonym. Without consent nothing ties an event to a visitor.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table merchant_rules (
      shop text not null,
      id text not null,
      kind text not null,
      match text not null,
      value text not null,
      placement text,
      weight double precision not null default 1,
      position integer,
      created_at timestamptz not null default now(),
      primary key (shop, id),
      constraint merchant_rules_kind check (kind in ('pin', 'exclude', 'boost')),
      constraint merchant_rules_match check (match in ('product', 'tag', 'vendor', 'collection', 'product_type'))
    );
    create table product_collections (
      shop text not null,
      product_id text not null,
      collection_id text not null,
      collection_handle text,
      primary key (shop, product_id, collection_id)
    );
    create index product_collections_collection on product_collections (shop, collection_id);

    create table storefront_event_receipts (
      shop text not null,
      id text not null,
      received_at timestamptz not null,
      primary key (shop, id)
    );
    create index storefront_event_receipts_received on storefront_event_receipts (shop, received_at);
    create table storefront_events (
      shop text not null,
      id text not null,
      type text not null,
      occurred_at timestamptz not null,
      received_at timestamptz not null,
      visitor_key text,
      customer_key text,
      impression_id text not null,
      placement text not null,
      product_id text not null,
      position integer not null,
      model_version text,
      sponsored boolean not null default false,
      token text not null,
      primary key (shop, id),
      constraint storefront_events_type check (type in ('impression', 'click', 'add_to_cart'))
    );
    create index storefront_events_impression on storefront_events (shop, impression_id);
    create index storefront_events_visitor on storefront_events (shop, visitor_key, occurred_at);
    create index storefront_events_occurred on storefront_events (shop, occurred_at);
    create table storefront_event_counts (
      shop text not null,
      day date not null,
      placement text not null,
      type text not null,
      product_id text not null,
      model_version text not null default '',
      sponsored boolean not null default false,
      count bigint not null default 0,
      primary key (shop, day, placement, type, product_id, model_version, sponsored)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table storefront_event_counts;
    drop table storefront_events;
    drop table storefront_event_receipts;
    drop table product_collections;
    drop table merchant_rules;
  `.execute(db);
}
