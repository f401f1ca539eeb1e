import type { TrainingSet } from './holdout';
import { K } from './metrics';
import type { ItemScorer, UserScorer } from './model';
import { topK } from './top-k';

export interface UserListOptions {
  /** Leave out the items the user bought in training (`next-30d-new`, "Recommended for you"). */
  excludeBought: boolean;
  /** List length. Default 10. */
  k?: number;
}

/**
 * Top-k lists from a fitted user scorer over the full catalog. One scratch buffer per
 * recommender: call it from one thread of work at a time.
 */
export function userRecommender(scorer: UserScorer, training: TrainingSet): (user: number, options: UserListOptions) => Int32Array {
  const { indptr, indices, cols } = training.interactions;
  const scores = new Float64Array(cols);
  const excluded = new Uint8Array(cols);
  return (user, { excludeBought, k = K }) => {
    scores.fill(0);
    scorer(user, scores);
    if (!excludeBought) return topK(scores, k);
    for (let p = indptr[user]!; p < indptr[user + 1]!; p++) excluded[indices[p]!] = 1;
    const list = topK(scores, k, excluded);
    for (let p = indptr[user]!; p < indptr[user + 1]!; p++) excluded[indices[p]!] = 0;
    return list;
  };
}

/** Top-k lists from a fitted item scorer: every catalog item but the anchor. */
export function itemRecommender(scorer: ItemScorer, training: TrainingSet): (anchor: number, k?: number) => Int32Array {
  const cols = training.interactions.cols;
  const scores = new Float64Array(cols);
  const excluded = new Uint8Array(cols);
  return (anchor, k = K) => {
    scores.fill(0);
    scorer(anchor, scores);
    excluded[anchor] = 1;
    const list = topK(scores, k, excluded);
    excluded[anchor] = 0;
    return list;
  };
}
