import { InvalidInputError } from '../../../shared/errors';
import type { PurchaseLog } from './purchase-log';

export const WINDOW_DAYS = 30;
const DAY_SECONDS = 86_400;

/**
 * The protocol's time split, in wall-clock seconds. Windows are (start, end]: a row exactly at
 * `testStart` is training, a row at `end` is test.
 */
export interface EvaluationWindows {
  /** The latest invoice date. */
  end: number;
  /** `end` − 30 days: training is everything at or before it; test is (testStart, end]. */
  testStart: number;
  /** `testStart` − 30 days: validation fits on everything at or before it, scores (validationStart, testStart]. */
  validationStart: number;
}

/**
 * `end` is the latest invoice date among the rows the cleaning keeps (guest rows included: they
 * are baskets). On the development file this is also the file's latest date, 2010-12-09T20:01:00.
 */
export function evaluationWindows(log: PurchaseLog): EvaluationWindows {
  if (log.time.length === 0) throw new InvalidInputError('no purchases left after cleaning: nothing to evaluate');
  let end = -Infinity;
  for (const t of log.time) if (t > end) end = t;
  const testStart = end - WINDOW_DAYS * DAY_SECONDS;
  return { end, testStart, validationStart: testStart - WINDOW_DAYS * DAY_SECONDS };
}
