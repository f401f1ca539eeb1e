import { DEFAULT_ATTRIBUTION_WINDOWS } from '../attribution';
import type { Db } from '../db';

/** The attribution rules a report used (the shop's windows when it ran). */
export interface ReportRules {
  recommendationClickWindowDays: number;
  sponsoredClickWindowDays: number;
  sponsoredViewWindowDays: number;
  /** "line property, then cart attribute, then the shopper's last click within 7 days (sponsored: 14 days click, 1 day view)". */
  text: string;
}

const DAY_SECONDS = 86_400;

function days(n: number): string {
  return `${n} ${n === 1 ? 'day' : 'days'}`;
}

/** The rules of the shop's windows (attribution_settings; the defaults without a row). */
export async function reportRules(db: Db, shop: string): Promise<ReportRules> {
  const row = await db
    .selectFrom('attribution_settings')
    .select(['recommendation_click_window_seconds', 'sponsored_click_window_seconds', 'sponsored_view_window_seconds'])
    .where('shop', '=', shop)
    .executeTakeFirst();
  const recommendation = (row?.recommendation_click_window_seconds ?? DEFAULT_ATTRIBUTION_WINDOWS.recommendationClickSeconds) / DAY_SECONDS;
  const sponsoredClick = (row?.sponsored_click_window_seconds ?? DEFAULT_ATTRIBUTION_WINDOWS.sponsoredClickSeconds) / DAY_SECONDS;
  const sponsoredView = (row?.sponsored_view_window_seconds ?? DEFAULT_ATTRIBUTION_WINDOWS.sponsoredViewSeconds) / DAY_SECONDS;
  return {
    recommendationClickWindowDays: recommendation,
    sponsoredClickWindowDays: sponsoredClick,
    sponsoredViewWindowDays: sponsoredView,
    text: `line property, then cart attribute, then the shopper's last click within ${days(recommendation)} (sponsored: ${days(sponsoredClick)} click, ${days(sponsoredView)} view)`,
  };
}
