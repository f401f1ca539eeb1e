import { sql } from 'kysely';
import type { Db, HoldoutGroup } from '../db';
import { readHoldoutShare } from './holdout-share';
import { liftFromSums, type Lift } from './lift-result';
import type { GroupSums } from './lift-stats';

/** UTC days `YYYY-MM-DD`, both inclusive (the reports' range). */
export interface LiftRange {
  from: string;
  to: string;
}

interface GroupRow {
  grp: HoldoutGroup;
  visitors: number | string;
  converting: number | string;
  sum_minor: string;
  sum_squares: string;
}

/**
 * Revenue per visitor of the treatment and the holdout over a range (docs/holdout.md): the
 * visitors exposed in the range, each in the group of its exposure rows (a visitor with rows in
 * both groups, after a change of share, counts in neither), each credited the net revenue of its
 * orders (order_revenue.visitor_key) from its first exposure day in the range to the range's end;
 * non-buyers count 0. The database groups by visitor and then by group; only two rows come back.
 */
export async function holdoutLift(db: Db, shop: string, range: LiftRange): Promise<Lift> {
  const [shareBp, shopRow, result] = await Promise.all([
    readHoldoutShare(db, shop),
    db.selectFrom('shops').select('currency').where('domain', '=', shop).executeTakeFirst(),
    // The join is on the visitor alone (a hash or merge join whatever the row estimates): with
    // the day condition in the join, a misestimate made PostgreSQL compare every exposed visitor
    // with every order (minutes on 60k visitors); the day test is the aggregate's filter instead.
    sql<GroupRow>`
      with exposed as (
        select visitor_key, min(grp) as grp, max(grp) as last_grp, min(day) as first_day
        from holdout_exposures
        where shop = ${shop} and day >= ${range.from} and day <= ${range.to}
        group by visitor_key
      ),
      bought as (
        select visitor_key, day, sum(net_minor) as net_minor
        from order_revenue
        where shop = ${shop} and visitor_key is not null and day >= ${range.from} and day <= ${range.to}
        group by visitor_key, day
      ),
      per_visitor as (
        select e.grp, e.last_grp, coalesce(sum(b.net_minor) filter (where b.day >= e.first_day), 0)::numeric as revenue
        from exposed e
        left join bought b on b.visitor_key = e.visitor_key
        group by e.visitor_key, e.grp, e.last_grp
      )
      select grp,
        count(*)::int as visitors,
        (count(*) filter (where revenue > 0))::int as converting,
        sum(revenue)::text as sum_minor,
        sum(revenue * revenue)::text as sum_squares
      from per_visitor
      where grp = last_grp
      group by grp
    `.execute(db),
  ]);
  const sums = (group: HoldoutGroup): GroupSums => {
    const row = result.rows.find((r) => r.grp === group);
    return row
      ? { visitors: Number(row.visitors), converting: Number(row.converting), sumMinor: Number(row.sum_minor), sumSquaresMinor: Number(row.sum_squares) }
      : { visitors: 0, converting: 0, sumMinor: 0, sumSquaresMinor: 0 };
  };
  return liftFromSums({ shareBp, treatment: sums('treatment'), holdout: sums('holdout'), currency: shopRow?.currency ?? null });
}
