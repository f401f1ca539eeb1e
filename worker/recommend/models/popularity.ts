import { columnCounts } from '../evaluation/sparse-matrix';
import type { TrainingSet } from '../evaluation/holdout';
import type { ItemModel, UserModel } from '../evaluation/model';

/** Distinct buyers of each catalog item in training. */
export function distinctBuyers(training: TrainingSet): Float64Array {
  return columnCounts(training.interactions);
}

/**
 * Popularity for "Recommended for you": every user gets the items with the most distinct buyers
 * in training. The fallback and the baseline every model is judged beside.
 */
export const popularityModel: UserModel = {
  name: 'popularity',
  fit(training: TrainingSet) {
    const buyers = distinctBuyers(training);
    return (_user: number, scores: Float64Array) => scores.set(buyers);
  },
};

/**
 * Popularity for "Frequently bought together": whatever the anchor, the items in the most
 * training baskets (guest baskets included, as the item-to-item models see them). Counting
 * baskets rather than buyers is what reproduces the reference `fbt-30d` row (ndcg 0.0967 against
 * 0.0963; distinct buyers gives 0.0917).
 */
export const basketPopularityModel: ItemModel = {
  name: 'popularity',
  fit(training: TrainingSet) {
    const baskets = columnCounts(training.baskets);
    return (_anchor: number, scores: Float64Array) => scores.set(baskets);
  },
};
