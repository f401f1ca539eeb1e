/** Milliseconds in a UTC calendar day (no leap seconds in epoch time). */
const DAY_MS = 86_400_000;

/**
 * The spend day of an instant: its UTC calendar day, `YYYY-MM-DD` (docs/sponsored.md, Spend
 * day). Shops store no time zone yet, so a daily budget is a UTC day's budget. Throws a
 * RangeError for a time that is not a valid date, as `Date#toISOString` does.
 */
export function spendDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

/**
 * The part of the spend day gone at `nowMs`, 0 ≤ f < 1 (0 at UTC midnight). Pacing compares
 * the day's spend with the share of the budget due by this point.
 */
export function dayFraction(nowMs: number): number {
  if (!Number.isFinite(nowMs)) throw new RangeError(`dayFraction: not a time: ${nowMs}`);
  // Remainder of a negative epoch time is negative: shift it into [0, DAY_MS).
  const intoDay = ((nowMs % DAY_MS) + DAY_MS) % DAY_MS;
  return intoDay / DAY_MS;
}
