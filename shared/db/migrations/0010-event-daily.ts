import { sql, type Kysely } from 'kysely';

/**
 * `storefront_event_daily`: storefront_event_counts without the product — impressions, clicks and
 * add-to-carts per shop, UTC day, placement, model version ('' = no model) and sponsorship. The
 * overview, placements and models reports read it instead of the product-grain counts (hundreds of
 * thousands of rows a year on a busy store; this is a few per day). Added to by the events batch
 * writer in the same transaction as storefront_event_counts, for newly received events only, so
 * each row equals the sum of its counts rows.
 *
 * `day` is a `date` like storefront_event_counts.day (the reports compare it with `::date`
 * parameters, so the primary key serves as the (shop, day) index).
 *
 * Backfilled from storefront_event_counts. The counts table is locked against writes until the
 * migration commits, so a batch written meanwhile lands in both tables or waits.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table storefront_event_daily (
      shop text not null,
      day date not null,
      placement text not null,
      model_version text not null default '',
      sponsored boolean not null default false,
      impressions bigint not null default 0,
      clicks bigint not null default 0,
      add_to_carts bigint not null default 0,
      primary key (shop, day, placement, model_version, sponsored)
    );
  `.execute(db);
  await sql`lock table storefront_event_counts in share mode`.execute(db);
  await sql`
    insert into storefront_event_daily (shop, day, placement, model_version, sponsored, impressions, clicks, add_to_carts)
    select shop, day, placement, model_version, sponsored,
      coalesce(sum(count) filter (where type = 'impression'), 0),
      coalesce(sum(count) filter (where type = 'click'), 0),
      coalesce(sum(count) filter (where type = 'add_to_cart'), 0)
    from storefront_event_counts
    group by shop, day, placement, model_version, sponsored
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table storefront_event_daily`.execute(db);
}
