import { fromMinorUnits } from '../money';
import { groupMean, welchDifference, type GroupSums } from './lift-stats';

/** Fewest visitors each group needs before lift is reported. */
export const MIN_VISITORS_PER_GROUP = 100;
/** Fewest visitors with an order each group needs before lift is reported. */
export const MIN_CONVERTING_VISITORS_PER_GROUP = 10;

/** Lift against the holdout (the reports API contract, docs/holdout.md). Money in integer minor units. */
export interface Lift {
  status: 'ok' | 'too_small' | 'off';
  /** The shop's current holdout share, 0..1. */
  holdoutShare: number;
  visitors: { treatment: number; holdout: number };
  convertingVisitors: { treatment: number; holdout: number };
  revenuePerVisitorMinor: { treatment: number; holdout: number };
  incrementalPerVisitorMinor: number;
  /** Rounded outwards; null unless status is ok. */
  ci95PerVisitorMinor: [number, number] | null;
  /** incrementalPerVisitor × treatment visitors, rounded. */
  incrementalRevenueMinor: number;
  /** The interval excludes 0 (only when status is ok). */
  significant: boolean;
  message: string;
}

export interface LiftInput {
  /** The shop's holdout share now, in basis points. */
  shareBp: number;
  treatment: GroupSums;
  holdout: GroupSums;
  /** The shop's currency, for the message; null: amounts in minor units. */
  currency: string | null;
}

/** The Lift of two groups' sums: status and message first, then the estimate. Pure. */
export function liftFromSums({ shareBp, treatment, holdout, currency }: LiftInput): Lift {
  const money = (minor: number) => (currency ? `${fromMinorUnits(minor, currency)} ${currency}` : `${minor} (minor units)`);
  const meanT = groupMean(treatment);
  const meanH = groupMean(holdout);
  const base = {
    holdoutShare: shareBp / 10_000,
    visitors: { treatment: treatment.visitors, holdout: holdout.visitors },
    convertingVisitors: { treatment: treatment.converting, holdout: holdout.converting },
    revenuePerVisitorMinor: { treatment: Math.round(meanT), holdout: Math.round(meanH) },
    incrementalPerVisitorMinor: Math.round(meanT - meanH),
    incrementalRevenueMinor: Math.round((meanT - meanH) * treatment.visitors),
  };
  if (shareBp === 0 && holdout.visitors === 0) {
    return { ...base, status: 'off', ci95PerVisitorMinor: null, significant: false, message: 'The holdout is off: every consenting visitor sees recommendations, so their lift cannot be measured.' };
  }
  const short = shortfall(treatment, holdout);
  const estimate = welchDifference(treatment, holdout);
  if (short || !estimate) {
    return { ...base, status: 'too_small', ci95PerVisitorMinor: null, significant: false, message: short ?? 'Not enough visitors yet to conclude.' };
  }
  const [lo, hi] = estimate.ci95;
  const ci: [number, number] = [Math.floor(lo), Math.ceil(hi)];
  const significant = lo > 0 || hi < 0;
  const interval = `95 % confidence interval ${money(ci[0])} to ${money(ci[1])} per visitor`;
  const perVisitor = money(Math.abs(base.incrementalPerVisitorMinor));
  const message = !significant
    ? `No clear difference yet between visitors who see recommendations and the holdout: ${money(base.incrementalPerVisitorMinor)} per visitor (${interval}).`
    : hi < 0
      ? `Visitors who see recommendations spent about ${perVisitor} less per visitor than the holdout (${interval}).`
      : `Recommendations brought about ${perVisitor} more per visitor than the holdout (${interval}), about ${money(base.incrementalRevenueMinor)} over ${treatment.visitors} visitors.`;
  return { ...base, status: 'ok', ci95PerVisitorMinor: ci, significant, message };
}

/** Why the sample is too small, as a sentence for the merchant; null when it is large enough. */
function shortfall(treatment: GroupSums, holdout: GroupSums): string | null {
  if (holdout.visitors < MIN_VISITORS_PER_GROUP) return `Not enough visitors in the holdout yet to conclude: ${holdout.visitors} of the ${MIN_VISITORS_PER_GROUP} needed.`;
  if (treatment.visitors < MIN_VISITORS_PER_GROUP) return `Not enough visitors who see recommendations yet to conclude: ${treatment.visitors} of the ${MIN_VISITORS_PER_GROUP} needed.`;
  if (holdout.converting < MIN_CONVERTING_VISITORS_PER_GROUP) {
    return `Not enough buyers in the holdout yet to conclude: ${holdout.converting} of the ${MIN_CONVERTING_VISITORS_PER_GROUP} needed.`;
  }
  if (treatment.converting < MIN_CONVERTING_VISITORS_PER_GROUP) {
    return `Not enough buyers among visitors who see recommendations yet to conclude: ${treatment.converting} of the ${MIN_CONVERTING_VISITORS_PER_GROUP} needed.`;
  }
  return null;
}
