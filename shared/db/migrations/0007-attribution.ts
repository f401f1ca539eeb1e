import { sql, type Kysely } from 'kysely';

/**
 * Revenue attribution (docs/attribution.md): the per-shop windows, one credit per order line
 * item (`order_attributions`, replaced whole each time its order is re-attributed) and the daily
 * rollup reports read instead of raw rows (`attribution_daily`, recomputed for the days an order
 * touches in the same transaction).
 *
 * Money is integer minor units of the order's (the shop's) currency. `day` is the UTC calendar
 * day of the order's creation as `YYYY-MM-DD` text, like the sponsored spend day, so every driver
 * reads it back as the same string. The rollup's nullable dimensions use sentinels so that they
 * can be part of its key: campaign 0 (bigserial ids start at 1) and model version ''.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table attribution_settings (
      shop text primary key,
      recommendation_click_window_seconds integer not null default 604800,
      sponsored_click_window_seconds integer not null default 1209600,
      sponsored_view_window_seconds integer not null default 86400,
      updated_at timestamptz not null default now(),
      constraint attribution_settings_windows check (
        recommendation_click_window_seconds between 0 and 7776000
        and sponsored_click_window_seconds between 0 and 7776000
        and sponsored_view_window_seconds between 0 and 7776000
      )
    );

    create table order_attributions (
      shop text not null,
      order_id text not null,
      line_item_id text not null,
      source text not null,
      token text not null,
      event_id text,
      impression_id text not null,
      placement text not null,
      product_id text not null,
      sponsored boolean not null,
      campaign_id bigint,
      model_version text,
      touched_at timestamptz not null,
      net_minor bigint not null,
      currency text not null,
      presentment_currency text,
      order_created_at timestamptz not null,
      day text not null,
      computed_at timestamptz not null,
      primary key (shop, line_item_id),
      constraint order_attributions_source check (source in ('property', 'cart_attribute', 'click', 'view')),
      constraint order_attributions_net check (net_minor >= 0),
      constraint order_attributions_day check (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
    );
    create index order_attributions_order on order_attributions (shop, order_id);
    create index order_attributions_day on order_attributions (shop, day);
    create index order_attributions_impression on order_attributions (shop, impression_id);

    create table attribution_daily (
      shop text not null,
      day text not null,
      placement text not null,
      sponsored boolean not null,
      campaign_id bigint not null default 0,
      model_version text not null default '',
      source text not null,
      currency text not null,
      orders integer not null,
      line_items integer not null,
      net_minor bigint not null,
      primary key (shop, day, placement, sponsored, campaign_id, model_version, source, currency)
    );

    create index storefront_events_customer on storefront_events (shop, customer_key, occurred_at) where customer_key is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index storefront_events_customer;
    drop table attribution_daily;
    drop table order_attributions;
    drop table attribution_settings;
  `.execute(db);
}
