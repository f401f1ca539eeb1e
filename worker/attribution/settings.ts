import { DEFAULT_ATTRIBUTION_WINDOWS, type AttributionWindows } from '../../shared/attribution';
import type { Db } from '../../shared/db';

type Reader = Pick<Db, 'selectFrom'>;

/** Windows from attribution_settings columns (null when the shop has no row: the defaults). */
export function windowsFromSettings(row: {
  recommendation_click_window_seconds: number | null;
  sponsored_click_window_seconds: number | null;
  sponsored_view_window_seconds: number | null;
}): AttributionWindows {
  return {
    recommendationClickSeconds: row.recommendation_click_window_seconds ?? DEFAULT_ATTRIBUTION_WINDOWS.recommendationClickSeconds,
    sponsoredClickSeconds: row.sponsored_click_window_seconds ?? DEFAULT_ATTRIBUTION_WINDOWS.sponsoredClickSeconds,
    sponsoredViewSeconds: row.sponsored_view_window_seconds ?? DEFAULT_ATTRIBUTION_WINDOWS.sponsoredViewSeconds,
  };
}

/** The shop's attribution windows (attribution_settings), the defaults when it has none. */
export async function loadAttributionWindows(db: Reader, shop: string): Promise<AttributionWindows> {
  const row = await db.selectFrom('attribution_settings').selectAll().where('shop', '=', shop).executeTakeFirst();
  if (!row) return { ...DEFAULT_ATTRIBUTION_WINDOWS };
  return {
    recommendationClickSeconds: row.recommendation_click_window_seconds,
    sponsoredClickSeconds: row.sponsored_click_window_seconds,
    sponsoredViewSeconds: row.sponsored_view_window_seconds,
  };
}
