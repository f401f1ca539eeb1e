import { sql, type Kysely } from 'kysely';

/**
 * `holdout_visitors`: one row per shop and exposed visitor (docs/holdout.md) with its first and
 * last exposure day, the group of its first exposure row and whether it has rows in both groups
 * (`mixed`). `holdoutLift` reads it instead of grouping every exposure row of the range: a visitor
 * whose first day is in the range and who is not mixed is exposed from that day in that group,
 * whatever the range's end; only visitors exposed before the range starts (or mixed ones reaching
 * past its end) are looked up in holdout_exposures.
 *
 * Kept by a trigger on holdout_exposures, in the inserting statement, so every writer (the web
 * process's exposure gate, imports, tests) keeps it exact: an insert widens the visitor's row (an
 * upsert, which serialises concurrent inserts of the same visitor on its row); a delete or an
 * update rebuilds the visitor's row from its remaining exposure rows; a truncate empties it.
 * Backfilled from holdout_exposures after the trigger exists, in the migration's transaction (the
 * trigger's creation locks holdout_exposures against writes until commit, so no row is missed or
 * counted twice).
 *
 * Also covering indexes for the lift: exposures by day with visitor and group, exposures by visitor
 * and day with group (replacing the plain (shop, visitor_key) index), and order_revenue's orders
 * with a visitor by day and by visitor with their net revenue (index-only scans).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table holdout_visitors (
      shop text not null,
      visitor_key text not null,
      first_day text not null,
      last_day text not null,
      grp text not null,
      mixed boolean not null default false,
      primary key (shop, visitor_key),
      constraint holdout_visitors_grp check (grp in ('treatment', 'holdout')),
      constraint holdout_visitors_days check (first_day <= last_day)
    );
    create index holdout_visitors_first on holdout_visitors (shop, first_day) include (last_day, grp, mixed, visitor_key);
    create index holdout_visitors_last on holdout_visitors (shop, last_day);

    create function holdout_visitors_rebuild(p_shop text, p_visitor text) returns void
    language plpgsql set search_path from current as $$
    begin
      delete from holdout_visitors where shop = p_shop and visitor_key = p_visitor;
      insert into holdout_visitors (shop, visitor_key, first_day, last_day, grp, mixed)
      select p_shop, p_visitor, min(day), max(day), min(grp), min(grp) <> max(grp)
      from holdout_exposures where shop = p_shop and visitor_key = p_visitor
      having count(*) > 0;
    end
    $$;

    create function holdout_visitors_track() returns trigger
    language plpgsql set search_path from current as $$
    begin
      if tg_op = 'TRUNCATE' then
        delete from holdout_visitors;
        return null;
      end if;
      if tg_op = 'INSERT' then
        insert into holdout_visitors as v (shop, visitor_key, first_day, last_day, grp, mixed)
        values (new.shop, new.visitor_key, new.day, new.day, new.grp, false)
        on conflict (shop, visitor_key) do update set
          first_day = least(v.first_day, excluded.first_day),
          last_day = greatest(v.last_day, excluded.last_day),
          mixed = v.mixed or v.grp <> excluded.grp;
        return null;
      end if;
      perform holdout_visitors_rebuild(old.shop, old.visitor_key);
      if tg_op = 'UPDATE' and (new.shop, new.visitor_key) is distinct from (old.shop, old.visitor_key) then
        perform holdout_visitors_rebuild(new.shop, new.visitor_key);
      end if;
      return null;
    end
    $$;

    create trigger holdout_visitors_rows after insert or update or delete on holdout_exposures
      for each row execute function holdout_visitors_track();
    create trigger holdout_visitors_truncate after truncate on holdout_exposures
      for each statement execute function holdout_visitors_track();

    insert into holdout_visitors (shop, visitor_key, first_day, last_day, grp, mixed)
    select shop, visitor_key, min(day), max(day), min(grp), min(grp) <> max(grp)
    from holdout_exposures group by shop, visitor_key;
    -- Statistics now: until autovacuum gets to it the planner would take the table for empty.
    analyze holdout_visitors;

    drop index holdout_exposures_visitor;
    create index holdout_exposures_visitor_day on holdout_exposures (shop, visitor_key, day) include (grp);
    create index holdout_exposures_day_cover on holdout_exposures (shop, day) include (visitor_key, grp);
    create index order_revenue_visitor_day on order_revenue (shop, day) include (visitor_key, net_minor) where visitor_key is not null;
    create index order_revenue_visitor_net on order_revenue (shop, visitor_key) include (day, net_minor) where visitor_key is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index order_revenue_visitor_net;
    drop index order_revenue_visitor_day;
    drop index holdout_exposures_day_cover;
    drop index holdout_exposures_visitor_day;
    create index holdout_exposures_visitor on holdout_exposures (shop, visitor_key);
    drop trigger holdout_visitors_truncate on holdout_exposures;
    drop trigger holdout_visitors_rows on holdout_exposures;
    drop function holdout_visitors_track();
    drop function holdout_visitors_rebuild(text, text);
    drop table holdout_visitors;
  `.execute(db);
}
