import { sql, type Kysely } from 'kysely';

/**
 * holdout_visitor_revenue (0016) recomputed a visitor's revenue in one statement whose snapshot
 * could predate a concurrent writer's commit: two transactions writing orders of one visitor, or
 * an order beside the exposure that creates the visitor's row, could leave the row short of an
 * order on PostgreSQL. It now takes a transaction-scoped advisory lock per (shop, visitor) first,
 * and sums in the next statement, whose snapshot is taken once the lock is held: writers of one
 * visitor's revenue go one after another, and each sees the orders committed before it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function holdout_visitor_revenue(p_shop text, p_visitor text) returns void
    language plpgsql set search_path from current as $$
    begin
      perform pg_advisory_xact_lock(hashtextextended('shelfwise/holdout-visitor-revenue' || chr(1) || p_shop || chr(1) || p_visitor, 0));
      update holdout_visitors v set (revenue_minor, revenue_last_day) = (
        select coalesce(sum(o.net_minor), 0), max(o.day)
        from order_revenue o
        where o.shop = v.shop and o.visitor_key = v.visitor_key and o.day >= v.first_day)
      where v.shop = p_shop and v.visitor_key = p_visitor;
    end
    $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function holdout_visitor_revenue(p_shop text, p_visitor text) returns void
    language plpgsql set search_path from current as $$
    begin
      update holdout_visitors v set (revenue_minor, revenue_last_day) = (
        select coalesce(sum(o.net_minor), 0), max(o.day)
        from order_revenue o
        where o.shop = v.shop and o.visitor_key = v.visitor_key and o.day >= v.first_day)
      where v.shop = p_shop and v.visitor_key = p_visitor;
    end
    $$;
  `.execute(db);
}
