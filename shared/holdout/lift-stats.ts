/** Two-sided 95 % quantile of the standard normal distribution. */
export const Z_95 = 1.959963984540054;

/** One group's per-visitor revenue as sums (the database aggregates; no per-visitor rows reach here). */
export interface GroupSums {
  /** Visitors in the group. */
  visitors: number;
  /** Visitors with revenue above 0. */
  converting: number;
  /** Σ revenue per visitor, in minor units. */
  sumMinor: number;
  /** Σ (revenue per visitor)², in minor units squared. */
  sumSquaresMinor: number;
}

export interface WelchDifference {
  /** Mean revenue per visitor, minor units (unrounded). */
  meanTreatment: number;
  meanHoldout: number;
  /** meanTreatment − meanHoldout. */
  difference: number;
  /** √(s²ₜ/nₜ + s²ₕ/nₕ), sample variances. */
  standardError: number;
  /** difference ∓ Z_95 × standardError: Welch's interval with the normal approximation (both groups ≥ 100 visitors when reported). */
  ci95: [number, number];
}

/** Mean of a group; 0 for an empty one. */
export function groupMean(g: GroupSums): number {
  return g.visitors > 0 ? g.sumMinor / g.visitors : 0;
}

/** Sample variance (n − 1) from the sums, never below 0 (rounding of Σx² − (Σx)²/n). */
export function groupVariance(g: GroupSums): number {
  if (g.visitors < 2) return 0;
  const v = (g.sumSquaresMinor - (g.sumMinor * g.sumMinor) / g.visitors) / (g.visitors - 1);
  return v > 0 ? v : 0;
}

/** The difference of mean revenue per visitor with its 95 % interval; null when a group has fewer than 2 visitors. */
export function welchDifference(treatment: GroupSums, holdout: GroupSums): WelchDifference | null {
  if (treatment.visitors < 2 || holdout.visitors < 2) return null;
  const meanTreatment = groupMean(treatment);
  const meanHoldout = groupMean(holdout);
  const difference = meanTreatment - meanHoldout;
  const standardError = Math.sqrt(groupVariance(treatment) / treatment.visitors + groupVariance(holdout) / holdout.visitors);
  return { meanTreatment, meanHoldout, difference, standardError, ci95: [difference - Z_95 * standardError, difference + Z_95 * standardError] };
}
