import { sql } from 'kysely';
import type { Db, HoldoutGroup } from '../db';
import type { GroupSums } from './lift-stats';

/** UTC days `YYYY-MM-DD`, both inclusive (the reports' range). */
export interface LiftRange {
  from: string;
  to: string;
}

/**
 * Memory for the lift's hashes and sorts, one transaction at a time (`set local`): the visitors
 * whose orders are summed (a month's edge visitors of the bench store: 15k) need ~5 MB per node,
 * over the 4 MB default (then it sorts on disk); a few nodes at most, so one call stays small.
 */
const LIFT_WORK_MEM = '32MB';

interface GroupRow {
  grp: HoldoutGroup;
  visitors: number | string;
  converting: number | string;
  sum_minor: string;
  sum_squares: string;
}

/**
 * Per group: the visitors exposed in the range (a visitor with rows of both groups in the range
 * counts in neither), those with revenue, Σ revenue and Σ revenue², each visitor's revenue being the
 * net of its orders (order_revenue.visitor_key) from its first exposure day in the range to the
 * range's end (docs/holdout.md). Two rows come back, never one per visitor.
 *
 * The visitors come from holdout_visitors (migration 0011): one whose first exposure day is in the
 * range and who never changed group is exposed in the range from that day in that group, wherever
 * its later days fall, and its row carries its revenue from that day on (revenue_minor, migration
 * 0016): taken as it is when its last order day is within the range, summed from its orders only
 * when it bought after the range's end. Only visitors first exposed before the range (still seen in
 * it or after), or with rows of both groups reaching past its end, are looked up in
 * holdout_exposures over the range, and their orders summed.
 */
export async function liftGroupSums(db: Db, shop: string, range: LiftRange): Promise<Record<HoldoutGroup, GroupSums>> {
  const { from, to } = range;
  const query = (trx: Db) => sql<GroupRow>`
      with settled as (
        select visitor_key, grp, first_day, revenue_minor, revenue_last_day
        from holdout_visitors
        where shop = ${shop} and first_day >= ${from} and first_day <= ${to} and not mixed
      ),
      summed as materialized (
        -- Visitors whose revenue in the range is summed from their orders: settled ones that
        -- bought after the range's end, and the range's edge visitors.
        select visitor_key, grp, first_day from settled where revenue_last_day > ${to}
        union all
        select e.visitor_key, min(e.grp), min(e.day)
        from holdout_visitors v
        join holdout_exposures e on e.shop = v.shop and e.visitor_key = v.visitor_key and e.day >= ${from} and e.day <= ${to}
        where v.shop = ${shop} and v.last_day >= ${from} and v.first_day <= ${to}
          and (v.first_day < ${from} or (v.mixed and v.last_day > ${to}))
        group by e.visitor_key
        having min(e.grp) = max(e.grp)
      ),
      per_buyer as (
        select s.grp, sum(o.net_minor)::numeric as revenue
        from summed s
        join order_revenue o on o.visitor_key = s.visitor_key
        where o.shop = ${shop} and o.visitor_key is not null and o.day >= ${from} and o.day <= ${to} and o.day >= s.first_day
        group by s.visitor_key, s.grp
      ),
      parts as (
        select grp, count(*) as visitors, count(*) filter (where revenue_minor > 0) as converting,
          sum(revenue_minor)::numeric as sum_minor, sum(revenue_minor::numeric * revenue_minor) as sum_squares
        from settled where revenue_last_day is null or revenue_last_day <= ${to}
        group by grp
        union all
        select grp, count(*), 0, 0, 0 from summed group by grp
        union all
        select grp, 0, count(*) filter (where revenue > 0), sum(revenue), sum(revenue * revenue) from per_buyer group by grp
      )
      select grp, sum(visitors)::int as visitors, sum(converting)::int as converting,
        sum(sum_minor)::text as sum_minor, sum(sum_squares)::text as sum_squares
      from parts
      group by grp
    `.execute(trx);
  // Inside a caller's transaction it runs there, with that transaction's memory settings.
  const { rows } = db.isTransaction
    ? await query(db)
    : await db.transaction().execute(async (trx) => {
        await sql`set local work_mem = '${sql.raw(LIFT_WORK_MEM)}'`.execute(trx);
        return query(trx);
      });
  const sums = (group: HoldoutGroup): GroupSums => {
    const row = rows.find((r) => r.grp === group);
    return row
      ? { visitors: Number(row.visitors), converting: Number(row.converting), sumMinor: Number(row.sum_minor), sumSquaresMinor: Number(row.sum_squares) }
      : { visitors: 0, converting: 0, sumMinor: 0, sumSquaresMinor: 0 };
  };
  return { treatment: sums('treatment'), holdout: sums('holdout') };
}
