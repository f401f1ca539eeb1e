import type { Db } from '../db';
import { reportCurrency } from './currency';
import type { ReportRange } from './range';
import { reportRules } from './rules';
import type { ReportHead } from './types';

/** The range, currency and rules every report starts with. */
export async function reportHead(db: Db, shop: string, range: ReportRange): Promise<ReportHead> {
  // One after another: PGlite has a single connection.
  const currency = await reportCurrency(db, shop);
  const rules = await reportRules(db, shop);
  return { range: { from: range.from, to: range.to }, currency, rules };
}
