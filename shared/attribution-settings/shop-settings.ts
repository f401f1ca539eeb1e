import { sql } from 'kysely';
import { windowsFromSettings } from '../attribution';
import type { Db } from '../db';
import { DEFAULT_HOLDOUT_SHARE_BP } from '../holdout';
import type { AttributionSettings } from './settings-input';

const DAY_SECONDS = 86_400;

/** A shop's settings and when they were last written (null: never, the defaults apply). */
export type StoredAttributionSettings = AttributionSettings & { updatedAt: Date | null };

/** The shop's windows and holdout share (attribution_settings), the defaults when it has no row. */
export async function getAttributionSettings(db: Db, shop: string): Promise<StoredAttributionSettings> {
  const row = await db.selectFrom('attribution_settings').selectAll().where('shop', '=', shop).executeTakeFirst();
  const windows = windowsFromSettings(row);
  return {
    recommendationClickDays: windows.recommendationClickSeconds / DAY_SECONDS,
    sponsoredClickDays: windows.sponsoredClickSeconds / DAY_SECONDS,
    sponsoredViewDays: windows.sponsoredViewSeconds / DAY_SECONDS,
    holdoutShareBp: row ? Number(row.holdout_share_bp) : DEFAULT_HOLDOUT_SHARE_BP,
    updatedAt: row ? new Date(row.updated_at as unknown as Date) : null,
  };
}

/**
 * Replaces the shop's settings (validated by parseAttributionSettings). New windows apply to every
 * attribution from now on: an order is re-attributed with them at its next write (update, refund);
 * credits already computed keep the windows they were computed with. Web processes see a new
 * holdout share within their cache time.
 */
export async function putAttributionSettings(db: Db, shop: string, settings: AttributionSettings): Promise<StoredAttributionSettings> {
  const values = {
    recommendation_click_window_seconds: settings.recommendationClickDays * DAY_SECONDS,
    sponsored_click_window_seconds: settings.sponsoredClickDays * DAY_SECONDS,
    sponsored_view_window_seconds: settings.sponsoredViewDays * DAY_SECONDS,
    holdout_share_bp: settings.holdoutShareBp,
  };
  await db
    .insertInto('attribution_settings')
    .values({ shop, ...values })
    .onConflict((oc) => oc.column('shop').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
  return getAttributionSettings(db, shop);
}
