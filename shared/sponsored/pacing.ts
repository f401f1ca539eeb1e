/**
 * How far ahead of its schedule a campaign's spend may run, as a share of the daily budget
 * (with the default straight-line schedule: half an hour of the day). It is also the width of
 * the band in which participation falls from 1 to 0, so spend approaches the schedule smoothly
 * instead of stopping and starting.
 */
export const PACING_LOOKAHEAD = 1 / 48;

/**
 * The share of the day's budget due by a day fraction: non-decreasing, 0 at 0, 1 at 1. The
 * default is the straight line `t ↦ t`; trafficSchedule builds one that follows the expected
 * share of the day's traffic instead.
 */
export type PacingSchedule = (dayFraction: number) => number;

/** Spend evenly through the UTC day (docs/sponsored.md, Pacing). */
export const STRAIGHT_LINE: PacingSchedule = (dayFraction) => dayFraction;

/** What participationProbability needs to know about one campaign at one moment. */
export interface PacingInput {
  /** The campaign's daily budget, minor units; ≤ 0 means it never takes part. */
  dailyBudgetMinor: number;
  /** What it has spent this spend day, minor units (as last read: may lag a little). */
  spentTodayMinor: number;
  /** The part of the spend day gone, 0–1 (spend-day.ts, dayFraction). */
  dayFraction: number;
  /** Share of the budget spend may run ahead of the schedule; default PACING_LOOKAHEAD. */
  lookahead?: number;
  /**
   * The share of the budget due by each day fraction; default STRAIGHT_LINE. A shop whose
   * traffic is not spread evenly over the UTC day should pass trafficSchedule(its hourly
   * traffic): a straight line cannot be met there (the budget due at night is never spent).
   */
  schedule?: PacingSchedule;
}

/**
 * The probability that a campaign takes part in an auction now:
 * `clamp((B × min(1, s(t) + L) − S) / (B × L), 0, 1)` with B the daily budget, S the spend
 * today, s the schedule at day fraction t and L the look-ahead. Behind the schedule a campaign
 * always bids, a look-ahead ahead of it never; in between the chance falls linearly. Throttling
 * by probability rather than by a hard stop spreads a campaign's impressions over the whole day
 * and across the web processes, each of which sees the same (slightly stale) spend.
 */
export function participationProbability(input: PacingInput): number {
  const budget = input.dailyBudgetMinor;
  if (!(budget > 0) || !Number.isFinite(budget)) return 0;
  const spent = Number.isFinite(input.spentTodayMinor) ? input.spentTodayMinor : budget;
  const lookahead = input.lookahead ?? PACING_LOOKAHEAD;
  const t = clamp(Number.isFinite(input.dayFraction) ? input.dayFraction : 0, 0, 1);
  const scheduled = (input.schedule ?? STRAIGHT_LINE)(t);
  const due = clamp(Number.isFinite(scheduled) ? scheduled : t, 0, 1);
  const allowed = budget * Math.min(1, due + Math.max(0, lookahead));
  // A zero (or negative) look-ahead is a hard switch: bid exactly while behind the schedule.
  if (!(lookahead > 0)) return spent < allowed ? 1 : 0;
  return clamp((allowed - spent) / (budget * lookahead), 0, 1);
}

/**
 * A schedule that follows the expected traffic of the day: `shares[i]` is the traffic expected
 * in the i-th of `shares.length` equal parts of the UTC day (typically 24 hours; any
 * non-negative weights, normalised here). The budget due grows in proportion to the traffic
 * expected so far, linearly within each part. With no usable weights it is the straight line.
 */
export function trafficSchedule(shares: readonly number[]): PacingSchedule {
  const weights = shares.map((share) => (Number.isFinite(share) && share > 0 ? share : 0));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (!(total > 0)) return STRAIGHT_LINE;
  // cumulative[i]: the share of the day's traffic before part i.
  const cumulative = [0];
  for (const weight of weights) cumulative.push(cumulative[cumulative.length - 1]! + weight / total);
  const parts = weights.length;
  return (dayFraction) => {
    const position = clamp(dayFraction, 0, 1) * parts;
    const part = Math.min(parts - 1, Math.floor(position));
    const before = cumulative[part]!;
    const after = cumulative[part + 1]!;
    // Capped at the part's end so rounding cannot make the schedule dip at a boundary.
    return Math.min(1, after, before + (after - before) * (position - part));
  };
}

/** Part of a shop's schedule spread evenly over the day (shopTrafficSchedule). */
export const EVEN_TRAFFIC_SHARE = 0.1;

/**
 * The schedule a shop's campaigns pace along: its hourly traffic shares (e.g. its orders per UTC
 * hour), 90 % of it, with 10 % spread evenly, so that an hour with no orders in the history
 * still gets a pace of its own instead of only the look-ahead.
 */
export function shopTrafficSchedule(hourlyShares: readonly number[]): PacingSchedule {
  const weights = hourlyShares.map((share) => (Number.isFinite(share) && share > 0 ? share : 0));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (!(total > 0)) return STRAIGHT_LINE;
  return trafficSchedule(weights.map((w) => (1 - EVEN_TRAFFIC_SHARE) * (w / total) + EVEN_TRAFFIC_SHARE / weights.length));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
