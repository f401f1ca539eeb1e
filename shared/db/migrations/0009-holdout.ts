import { sql, type Kysely } from 'kysely';

/**
 * The holdout group (docs/holdout.md): the share of consenting visitors who see no Shelfwise
 * blocks, per shop in basis points (default 500 = 5 %, at most 5000 = 50 %), and one exposure row
 * per visitor and UTC day on which a block asked for recommendations, in either group. `day` is
 * `YYYY-MM-DD` text like the other daily tables; `visitor_key` the per-shop visitor pseudonym the
 * events endpoint stores.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table attribution_settings add column holdout_share_bp integer not null default 500;
    alter table attribution_settings add constraint attribution_settings_holdout check (holdout_share_bp between 0 and 5000);

    create table holdout_exposures (
      shop text not null,
      day text not null,
      visitor_key text not null,
      grp text not null,
      first_seen_at timestamptz not null,
      primary key (shop, day, visitor_key),
      constraint holdout_exposures_grp check (grp in ('treatment', 'holdout')),
      constraint holdout_exposures_day check (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
    );
    create index holdout_exposures_visitor on holdout_exposures (shop, visitor_key);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table holdout_exposures;
    alter table attribution_settings drop constraint attribution_settings_holdout;
    alter table attribution_settings drop column holdout_share_bp;
  `.execute(db);
}
