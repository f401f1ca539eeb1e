/**
 * The merchant's reports (docs/reports.md): each a function `(db, shop, params)` reading only
 * rollups (store_daily, attribution_daily_orders, storefront_event_daily, sponsored_event_daily,
 * sponsored_daily_spend) and small tables; the vendor statement lists one month's ledger and
 * credit rows. Money in integer minor units; ratios computed last, null over 0.
 */
export { overviewReport } from './overview';
export { placementsReport } from './placements';
export { modelsReport } from './models';
export { campaignReport, campaignsReport } from './campaigns';
export { vendorsReport } from './vendors';
export { monthDays, statementParams, vendorStatement, type StatementParams } from './statement';
export { DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS, dayOf, parseReportRange, rangeDays, reportDay, type ParsedRange, type RangeIssue, type ReportRange } from './range';
export { reportRules, type ReportRules } from './rules';
export { averageMinor, ratio } from './ratios';
export type * from './types';
