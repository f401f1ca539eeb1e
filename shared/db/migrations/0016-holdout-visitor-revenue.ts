import { sql, type Kysely } from 'kysely';

/**
 * Each holdout visitor's revenue since its first exposure, kept on its holdout_visitors row, so
 * the lift of a range reads one row per visitor instead of joining every order of the range
 * (docs/holdout.md):
 * - `revenue_minor`: Σ net_minor of the visitor's order_revenue rows whose day is on or after its
 *   `first_day`;
 * - `revenue_last_day`: the latest day among those rows (null without any).
 * A range that ends on or after `revenue_last_day` takes `revenue_minor` as it is; only visitors
 * with orders after the range's end have their orders summed.
 *
 * Kept by triggers, in the writing statement, so every writer keeps it exact: an order_revenue
 * row written, changed (visitor, day or net) or deleted recomputes its visitor's (old and new)
 * figures from its rows; a visitor row created or moved to an earlier first day by an exposure
 * (holdout_visitors_track) or rebuilt (holdout_visitors_rebuild) recomputes its own. Each
 * recompute reads one visitor's orders through order_revenue_visitor_net (index only).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table holdout_visitors add column revenue_minor bigint not null default 0, add column revenue_last_day text;

    create function holdout_visitor_revenue(p_shop text, p_visitor text) returns void
    language plpgsql set search_path from current as $$
    begin
      update holdout_visitors v set (revenue_minor, revenue_last_day) = (
        select coalesce(sum(o.net_minor), 0), max(o.day)
        from order_revenue o
        where o.shop = v.shop and o.visitor_key = v.visitor_key and o.day >= v.first_day)
      where v.shop = p_shop and v.visitor_key = p_visitor;
    end
    $$;

    create or replace function holdout_visitors_rebuild(p_shop text, p_visitor text) returns void
    language plpgsql set search_path from current as $$
    begin
      delete from holdout_visitors where shop = p_shop and visitor_key = p_visitor;
      insert into holdout_visitors (shop, visitor_key, first_day, last_day, grp, mixed)
      select p_shop, p_visitor, min(day), max(day), min(grp), min(grp) <> max(grp)
      from holdout_exposures where shop = p_shop and visitor_key = p_visitor
      having count(*) > 0;
      perform holdout_visitor_revenue(p_shop, p_visitor);
    end
    $$;

    create or replace function holdout_visitors_track() returns trigger
    language plpgsql set search_path from current as $$
    declare
      v_first text;
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
          mixed = v.mixed or v.grp <> excluded.grp
        returning first_day into v_first;
        -- A new visitor row, or one whose first day moved earlier: its revenue window changed.
        if v_first = new.day then
          perform holdout_visitor_revenue(new.shop, new.visitor_key);
        end if;
        return null;
      end if;
      perform holdout_visitors_rebuild(old.shop, old.visitor_key);
      if tg_op = 'UPDATE' and (new.shop, new.visitor_key) is distinct from (old.shop, old.visitor_key) then
        perform holdout_visitors_rebuild(new.shop, new.visitor_key);
      end if;
      return null;
    end
    $$;

    create function order_revenue_visitor_track() returns trigger
    language plpgsql set search_path from current as $$
    begin
      if tg_op = 'TRUNCATE' then
        update holdout_visitors set revenue_minor = 0, revenue_last_day = null where revenue_minor <> 0 or revenue_last_day is not null;
        return null;
      end if;
      if tg_op in ('UPDATE', 'DELETE') and old.visitor_key is not null then
        perform holdout_visitor_revenue(old.shop, old.visitor_key);
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.visitor_key is not null
         and (tg_op = 'INSERT' or (new.shop, new.visitor_key) is distinct from (old.shop, old.visitor_key)) then
        perform holdout_visitor_revenue(new.shop, new.visitor_key);
      end if;
      return null;
    end
    $$;

    create trigger order_revenue_visitor_insert after insert on order_revenue
      for each row when (new.visitor_key is not null) execute function order_revenue_visitor_track();
    create trigger order_revenue_visitor_update after update on order_revenue
      for each row when ((old.visitor_key is not null or new.visitor_key is not null)
        and (old.shop, old.visitor_key, old.day, old.net_minor) is distinct from (new.shop, new.visitor_key, new.day, new.net_minor))
      execute function order_revenue_visitor_track();
    create trigger order_revenue_visitor_delete after delete on order_revenue
      for each row when (old.visitor_key is not null) execute function order_revenue_visitor_track();
    create trigger order_revenue_visitor_truncate after truncate on order_revenue
      for each statement execute function order_revenue_visitor_track();

    -- Backfill after the triggers exist, in the migration's transaction (creating them locks
    -- order_revenue and holdout_exposures against writes until commit).
    update holdout_visitors v set revenue_minor = s.net, revenue_last_day = s.last_day
    from (
      select v.shop, v.visitor_key, sum(o.net_minor) as net, max(o.day) as last_day
      from holdout_visitors v
      join order_revenue o on o.shop = v.shop and o.visitor_key = v.visitor_key and o.day >= v.first_day
      group by v.shop, v.visitor_key
    ) s
    where s.shop = v.shop and s.visitor_key = v.visitor_key;
    analyze holdout_visitors;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger order_revenue_visitor_truncate on order_revenue;
    drop trigger order_revenue_visitor_delete on order_revenue;
    drop trigger order_revenue_visitor_update on order_revenue;
    drop trigger order_revenue_visitor_insert on order_revenue;
    drop function order_revenue_visitor_track();
    create or replace function holdout_visitors_rebuild(p_shop text, p_visitor text) returns void
    language plpgsql set search_path from current as $$
    begin
      delete from holdout_visitors where shop = p_shop and visitor_key = p_visitor;
      insert into holdout_visitors (shop, visitor_key, first_day, last_day, grp, mixed)
      select p_shop, p_visitor, min(day), max(day), min(grp), min(grp) <> max(grp)
      from holdout_exposures where shop = p_shop and visitor_key = p_visitor
      having count(*) > 0;
    end
    $$;
    create or replace function holdout_visitors_track() returns trigger
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
    drop function holdout_visitor_revenue(text, text);
    alter table holdout_visitors drop column revenue_last_day, drop column revenue_minor;
  `.execute(db);
}
