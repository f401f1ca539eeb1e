import type { Db } from '../db';
import { readHoldoutShare } from './holdout-share';
import { liftGroupSums, type LiftRange } from './lift-group-sums';
import { liftFromSums, type Lift } from './lift-result';

/**
 * Revenue per visitor of the treatment and the holdout over a range (docs/holdout.md): the
 * visitors exposed in the range, each in the group of its exposure rows (a visitor with rows in
 * both groups, after a change of share, counts in neither), each credited the net revenue of its
 * orders (order_revenue.visitor_key) from its first exposure day in the range to the range's end;
 * non-buyers count 0. The database sums per group (`liftGroupSums`); only two rows come back.
 */
export async function holdoutLift(db: Db, shop: string, range: LiftRange): Promise<Lift> {
  const [shareBp, shopRow, sums] = await Promise.all([
    readHoldoutShare(db, shop),
    db.selectFrom('shops').select('currency').where('domain', '=', shop).executeTakeFirst(),
    liftGroupSums(db, shop, range),
  ]);
  return liftFromSums({ shareBp, treatment: sums.treatment, holdout: sums.holdout, currency: shopRow?.currency ?? null });
}
