import { getAttributionSettings } from '../attribution-settings';
import type { Db } from '../db';

/** The attribution rules a report used (the shop's windows when it ran). */
export interface ReportRules {
  recommendationClickWindowDays: number;
  sponsoredClickWindowDays: number;
  sponsoredViewWindowDays: number;
  /** "line property, then cart attribute, then the shopper's last click within 7 days (sponsored: 14 days click, 1 day view)". */
  text: string;
}

function days(n: number): string {
  return `${n} ${n === 1 ? 'day' : 'days'}`;
}

/** The rules of the shop's windows (attribution_settings; the defaults without a row). */
export async function reportRules(db: Db, shop: string): Promise<ReportRules> {
  const settings = await getAttributionSettings(db, shop);
  const recommendation = settings.recommendationClickDays;
  const sponsoredClick = settings.sponsoredClickDays;
  const sponsoredView = settings.sponsoredViewDays;
  return {
    recommendationClickWindowDays: recommendation,
    sponsoredClickWindowDays: sponsoredClick,
    sponsoredViewWindowDays: sponsoredView,
    text: `line property, then cart attribute, then the shopper's last click within ${days(recommendation)} (sponsored: ${days(sponsoredClick)} click, ${days(sponsoredView)} view)`,
  };
}
