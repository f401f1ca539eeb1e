import type { Db } from '../db';

/** The share of consenting visitors held out when a shop has set none: 500 basis points, 5 %. */
export const DEFAULT_HOLDOUT_SHARE_BP = 500;
/** The largest share a shop may hold out, in basis points (50 %): beyond it the shop loses more than it learns. */
export const MAX_HOLDOUT_SHARE_BP = 5000;

export type SetHoldoutShare = { ok: true; shareBp: number } | { ok: false; reason: 'out_of_range'; message: string };

/** The shop's holdout share in basis points; the default when it has no attribution settings row. */
export async function readHoldoutShare(db: Db, shop: string): Promise<number> {
  const row = await db.selectFrom('attribution_settings').select('holdout_share_bp').where('shop', '=', shop).executeTakeFirst();
  return row ? Number(row.holdout_share_bp) : DEFAULT_HOLDOUT_SHARE_BP;
}

/**
 * Sets the shop's holdout share (whole basis points, 0 = no holdout, at most MAX_HOLDOUT_SHARE_BP).
 * The attribution windows of a shop without a row keep their defaults. Web processes see the new
 * share within their cache time (STOREFRONT_CACHE_SECONDS).
 */
export async function setHoldoutShare(db: Db, shop: string, shareBp: number): Promise<SetHoldoutShare> {
  if (!Number.isInteger(shareBp) || shareBp < 0 || shareBp > MAX_HOLDOUT_SHARE_BP) {
    return { ok: false, reason: 'out_of_range', message: `the holdout share must be a whole number of basis points from 0 to ${MAX_HOLDOUT_SHARE_BP}` };
  }
  await db
    .insertInto('attribution_settings')
    .values({ shop, holdout_share_bp: shareBp })
    .onConflict((oc) => oc.column('shop').doUpdateSet({ holdout_share_bp: shareBp, updated_at: new Date() }))
    .execute();
  return { ok: true, shareBp };
}
