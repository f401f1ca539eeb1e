import type { Db } from '../../../shared/db';
import { campaignReport, campaignsReport, modelsReport, overviewReport, placementsReport, vendorsReport, type ReportRange } from '../../../shared/reports';

/** One report call to time. */
export interface ReportCase {
  metric: string;
  /** p95 target, ms. */
  targetMs: number;
  run: () => Promise<unknown>;
}

const DAY_MS = 86_400_000;

/** The `days` UTC days ending with `lastDay`, both inclusive. */
export function lastDays(lastDay: string, days: number): ReportRange {
  return { from: new Date(Date.parse(lastDay) - (days - 1) * DAY_MS).toISOString().slice(0, 10), to: lastDay };
}

/**
 * Issue 6's report measurements — the overview, the campaign list and one campaign over the
 * last 30 and 365 days — called as the admin API calls them (shared/reports, `(db, shop,
 * params)`), plus the other list reports over 365 days for the record (same target).
 */
export function reportCases(db: Db, shop: string, lastDay: string, campaignId: string): ReportCase[] {
  const cases: ReportCase[] = [];
  for (const days of [30, 365]) {
    const range = lastDays(lastDay, days);
    cases.push(
      { metric: `overview, ${days} days`, targetMs: 200, run: () => overviewReport(db, shop, range) },
      { metric: `campaigns (list), ${days} days`, targetMs: 200, run: () => campaignsReport(db, shop, range) },
      {
        metric: `campaign ${campaignId}, ${days} days`,
        targetMs: 200,
        run: async () => {
          if (!(await campaignReport(db, shop, { ...range, campaignId }))) throw new Error(`campaign ${campaignId} not found`);
        },
      },
    );
  }
  const year = lastDays(lastDay, 365);
  cases.push(
    { metric: 'placements, 365 days (extra)', targetMs: 200, run: () => placementsReport(db, shop, year) },
    { metric: 'models, 365 days (extra)', targetMs: 200, run: () => modelsReport(db, shop, year) },
    { metric: 'vendors, 365 days (extra)', targetMs: 200, run: () => vendorsReport(db, shop, year) },
  );
  return cases;
}
