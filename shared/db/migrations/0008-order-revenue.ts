import { sql, type Kysely } from 'kysely';

/**
 * What the reports read instead of raw rows (docs/reports.md).
 *
 * - `order_revenue`: one row per order that counts (not cancelled, not a test): its net line
 *   revenue (the attribution engine's net rule, no shipping or tax), what of it was attributed
 *   (recommendations and sponsored apart) and the visitor it came from (the pseudonym of the
 *   `_shelfwise_visitor` cart attribute, as storefront_events.visitor_key stores it). Written by
 *   the order's re-attribution, in its transaction.
 * - `store_daily`: the store's orders and net revenue per UTC day and currency, with and without
 *   a recommendation; rebuilt from order_revenue for the days an order touches, under the same
 *   per-(shop, day) lock as attribution_daily.
 * - `attribution_daily_orders`: distinct attributed orders per day and one report dimension
 *   (all, placement, model, campaign), which attribution_daily cannot give by summing its rows
 *   (one order can have several lines in one placement through different sources). Rebuilt with
 *   attribution_daily. Unused dimension columns hold sentinels ('' and 0) so they can be keyed.
 *   The 'vendor' dimension is allowed but not written (a campaign's vendor can be edited, so
 *   vendor reports sum their campaigns).
 * - `sponsored_event_daily`: impressions, clicks and add-to-carts per campaign, day, placement and
 *   product, added by the events batch writer for newly received events only (like
 *   storefront_event_counts, which has no campaign).
 *
 * `day` is `YYYY-MM-DD` text (UTC) everywhere here, like order_attributions. Every table has a
 * `shop` column, so shop/redact erases them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table order_revenue (
      shop text not null,
      order_id text not null,
      day text not null,
      currency text not null,
      presentment_currency text,
      net_minor bigint not null,
      attributed_minor bigint not null,
      recommendation_minor bigint not null,
      sponsored_minor bigint not null,
      has_recommendation boolean not null,
      visitor_key text,
      customer_key text,
      order_created_at timestamptz not null,
      computed_at timestamptz not null,
      primary key (shop, order_id),
      constraint order_revenue_amounts check (
        net_minor >= 0 and attributed_minor >= 0 and recommendation_minor >= 0 and sponsored_minor >= 0
        and attributed_minor = recommendation_minor + sponsored_minor and attributed_minor <= net_minor
      ),
      constraint order_revenue_day check (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
    );
    create index order_revenue_day on order_revenue (shop, day);
    create index order_revenue_visitor on order_revenue (shop, visitor_key) where visitor_key is not null;

    create table store_daily (
      shop text not null,
      day text not null,
      currency text not null,
      orders integer not null,
      net_minor bigint not null,
      orders_with_recommendation integer not null,
      net_with_recommendation_minor bigint not null,
      primary key (shop, day, currency)
    );

    create table attribution_daily_orders (
      shop text not null,
      day text not null,
      dimension text not null,
      placement text not null default '',
      sponsored boolean not null default false,
      model_version text not null default '',
      campaign_id bigint not null default 0,
      vendor text not null default '',
      currency text not null,
      orders integer not null,
      click_orders integer not null,
      line_items integer not null,
      net_minor bigint not null,
      primary key (shop, day, dimension, placement, sponsored, model_version, campaign_id, vendor, currency),
      constraint attribution_daily_orders_dimension check (dimension in ('all', 'placement', 'model', 'campaign', 'vendor'))
    );
    create index attribution_daily_orders_campaign on attribution_daily_orders (shop, campaign_id, day) where dimension = 'campaign';

    create table sponsored_event_daily (
      shop text not null,
      day text not null,
      campaign_id bigint not null,
      placement text not null,
      product_id text not null,
      impressions bigint not null default 0,
      clicks bigint not null default 0,
      add_to_carts bigint not null default 0,
      primary key (shop, day, campaign_id, placement, product_id)
    );
    create index sponsored_event_daily_campaign on sponsored_event_daily (shop, campaign_id, day);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table sponsored_event_daily;
    drop table attribution_daily_orders;
    drop table store_daily;
    drop table order_revenue;
  `.execute(db);
}
