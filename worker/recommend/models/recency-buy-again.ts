import type { TrainingSet } from '../evaluation/holdout';
import { recencyWeight, type HistoryDecay } from './recency';

export interface RepeatOptions extends HistoryDecay {
  /** Frequency enters as (distinct invoices)^power. Default 1. */
  power?: number;
  /**
   * Weight of the item's repeat rate: × ((buyers who bought it on two or more invoices + 1) /
   * (buyers + 2))^propensity. 0 (default) ignores it; 1 favours items people re-order.
   */
  propensity?: number;
}

/** Per catalog item, the Laplace-smoothed share of its buyers who bought it on two or more invoices. */
export function repeatRates(training: TrainingSet): Float64Array {
  const { indices, values, cols } = training.interactions;
  const buyers = new Float64Array(cols);
  const repeaters = new Float64Array(cols);
  for (let p = 0; p < indices.length; p++) {
    buyers[indices[p]!]! += 1;
    if (values[p]! >= 2) repeaters[indices[p]!]! += 1;
  }
  return repeaters.map((r, i) => (r + 1) / (buyers[i]! + 2));
}

/**
 * Buy again with recency: for each item the user bought, frequency^power × `recencyWeight` of
 * the days since their latest purchase of it × the item's repeat rate^propensity. Writes only the
 * user's items (other entries are left as they are): the repeat term of a blend, not a ranking.
 */
export function recencyBuyAgain(training: TrainingSet, { halfLifeDays, floor, power = 1, propensity = 0 }: RepeatOptions): (user: number, scores: Float64Array) => void {
  const { indptr, indices, values } = training.interactions;
  const rates = propensity ? repeatRates(training) : null;
  const weight = new Float64Array(indices.length);
  for (let p = 0; p < indices.length; p++) {
    const rate = rates ? Math.pow(rates[indices[p]!]!, propensity) : 1;
    weight[p] = Math.pow(values[p]!, power) * recencyWeight(training.cutoff - training.lastPurchase[p]!, halfLifeDays, floor) * rate;
  }
  return (user, scores) => {
    for (let p = indptr[user]!; p < indptr[user + 1]!; p++) scores[indices[p]!] = weight[p]!;
  };
}
