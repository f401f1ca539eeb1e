import { sql, type Kysely } from 'kysely';

/**
 * The merchant's retail-media business (docs/sponsored.md): campaigns sold to the vendors in its
 * catalog, the per-shop auction settings, and the money: spend per campaign and day, and the
 * ledger, one row per click considered for a charge (charged or not, and why), each unique by its
 * charge key so that a retried or redelivered click never charges twice.
 *
 * Money is integer minor units of the shop's currency (the campaign keeps the currency it was
 * created in). `spent_total_minor` on the campaign and `spent_minor` per day are what the
 * charging transaction checks and moves under a row lock; the ledger is their itemisation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sponsored_settings (
      shop text primary key,
      relevance_threshold double precision not null default 0.3,
      reserve_minor integer not null default 5,
      slots_per_block integer not null default 1,
      frequency_cap_per_day integer not null default 6,
      updated_at timestamptz not null default now(),
      constraint sponsored_settings_threshold check (relevance_threshold >= 0 and relevance_threshold <= 1),
      constraint sponsored_settings_reserve check (reserve_minor >= 0),
      constraint sponsored_settings_slots check (slots_per_block between 0 and 4),
      constraint sponsored_settings_cap check (frequency_cap_per_day between 1 and 1000)
    );

    create table sponsored_campaigns (
      id bigserial primary key,
      shop text not null,
      name text not null,
      vendor text not null,
      advertiser text not null,
      max_cpc_minor integer not null,
      daily_budget_minor bigint not null,
      total_budget_minor bigint not null,
      currency text not null,
      starts_at timestamptz not null,
      ends_at timestamptz,
      placements jsonb not null,
      status text not null default 'draft',
      spent_total_minor bigint not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint sponsored_campaigns_status check (status in ('draft', 'active', 'paused', 'exhausted', 'ended')),
      constraint sponsored_campaigns_bid check (max_cpc_minor > 0),
      constraint sponsored_campaigns_budgets check (daily_budget_minor >= max_cpc_minor and total_budget_minor >= daily_budget_minor),
      constraint sponsored_campaigns_dates check (ends_at is null or ends_at > starts_at),
      constraint sponsored_campaigns_spent check (spent_total_minor >= 0 and spent_total_minor <= total_budget_minor)
    );
    create index sponsored_campaigns_shop on sponsored_campaigns (shop, status);

    create table sponsored_campaign_products (
      campaign_id bigint not null references sponsored_campaigns (id) on delete cascade,
      shop text not null,
      product_id text not null,
      primary key (campaign_id, product_id)
    );
    create index sponsored_campaign_products_shop on sponsored_campaign_products (shop, product_id);

    create table sponsored_daily_spend (
      campaign_id bigint not null references sponsored_campaigns (id) on delete cascade,
      shop text not null,
      day date not null,
      spent_minor bigint not null default 0,
      clicks integer not null default 0,
      primary key (campaign_id, day)
    );
    create index sponsored_daily_spend_shop on sponsored_daily_spend (shop, day);

    create table sponsored_ledger (
      id bigserial primary key,
      shop text not null,
      charge_key text not null,
      campaign_id bigint not null references sponsored_campaigns (id),
      event_id text not null,
      impression_id text not null,
      product_id text not null,
      placement text not null,
      token text not null,
      visitor_key text,
      price_minor integer not null,
      amount_minor integer not null,
      currency text not null,
      day date not null,
      status text not null,
      reason text,
      clicked_at timestamptz not null,
      created_at timestamptz not null default now(),
      constraint sponsored_ledger_status check (status in ('charged', 'not_charged')),
      constraint sponsored_ledger_amount check (amount_minor >= 0 and amount_minor <= price_minor),
      unique (shop, charge_key)
    );
    create index sponsored_ledger_campaign on sponsored_ledger (campaign_id, day);
    create index sponsored_ledger_impression on sponsored_ledger (shop, impression_id);
  `.execute(db);
}
