import type { TrainingSet } from '../evaluation/holdout';
import type { UserModel } from '../evaluation/model';
import { recencyWeight } from './recency';

/**
 * Time-decayed distinct buyers: per catalog item, Σ over the users who bought it of
 * 2^(−age / halfLife), age = training.cutoff − the user's latest purchase of the item. With an
 * infinite half-life this is `distinctBuyers`; a short one follows what sells now (a season).
 */
export function decayedBuyers(training: TrainingSet, halfLifeDays: number): Float64Array {
  const { indices, cols } = training.interactions;
  const scores = new Float64Array(cols);
  for (let p = 0; p < indices.length; p++) scores[indices[p]!]! += recencyWeight(training.cutoff - training.lastPurchase[p]!, halfLifeDays);
  return scores;
}

/** Trending for "Recommended for you": every user gets the same time-decayed buyer counts. */
export function trendingModel({ halfLifeDays }: { halfLifeDays: number }): UserModel {
  return {
    name: `trending (half-life ${halfLifeDays} d)`,
    fit(training: TrainingSet) {
      const trend = decayedBuyers(training, halfLifeDays);
      return (_user: number, scores: Float64Array) => scores.set(trend);
    },
  };
}
