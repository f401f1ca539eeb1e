import type { TrainingSet } from '../evaluation/holdout';
import type { UserModel } from '../evaluation/model';
import { distinctBuyers } from './popularity';

/**
 * Buy again: a user's items by how many of their invoices held them (personal frequency),
 * ties and everything never bought ordered by popularity (distinct buyers).
 */
export const buyAgainModel: UserModel = {
  name: 'buy again',
  fit(training: TrainingSet) {
    const { indptr, indices, values } = training.interactions;
    const buyers = distinctBuyers(training);
    let most = 0;
    for (const b of buyers) most = Math.max(most, b);
    // Popularity scaled into [0, 1): it orders equal frequencies without outranking one more purchase.
    const tieBreak = buyers.map((b) => b / (most + 1));
    return (user: number, scores: Float64Array) => {
      scores.set(tieBreak);
      for (let p = indptr[user]!; p < indptr[user + 1]!; p++) scores[indices[p]!]! += values[p]!;
    };
  },
};
