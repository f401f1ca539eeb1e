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
    sql<GroupRow>`
      with exposed as (
        select visitor_key, min(grp) as grp, count(distinct grp) as groups, min(day) as first_day
        from holdout_exposures
        where shop = ${shop} and day >= ${range.from} and day <= ${range.to}
        group by visitor_key
      ),
      per_visitor as (
        select e.grp, e.visitor_key, coalesce(sum(o.net_minor), 0)::numeric as revenue
        from exposed e
        left join order_revenue o
          on o.shop = ${shop} and o.visitor_key = e.visitor_key and o.day >= e.first_day and o.day <= ${range.to}
        where e.groups = 1
        group by e.grp, e.visitor_key
      )
      select grp,
        count(*)::int as visitors,
        (count(*) filter (where revenue > 0))::int as converting,
        sum(revenue)::text as sum_minor,
        sum(revenue * revenue)::text as sum_squares
      from per_visitor
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
