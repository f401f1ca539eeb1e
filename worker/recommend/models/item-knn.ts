import type { TrainingSet } from '../evaluation/holdout';
import type { UserModel } from '../evaluation/model';
import { topK } from '../evaluation/top-k';
import { cosineInPlace, itemGram } from './item-gram';

export interface ItemKnnOptions {
  /** Neighbours kept per candidate item. Default 100. */
  neighbours?: number;
}

/**
 * Item kNN: cosine similarity between items' buyer sets (bought or not). Each candidate item j
 * keeps its `neighbours` most similar other items N(j); a user's score for j is
 * Σ over i in N(j) of strength(user, i) × sim(i, j). Lists are stored inverted (i → the j that
 * keep i) so a user is scored by walking only the items they bought.
 *
 * These choices reproduce the reference implementation: neighbours per candidate (not per
 * history item) matched `next-30d-new` exactly, and strength weights on `next-30d-all` came
 * within 1.5 % where binary weights fell 5.5 % short.
 */
export function itemKnnModel({ neighbours = 100 }: ItemKnnOptions = {}): UserModel {
  return {
    name: 'item kNN',
    fit(training: TrainingSet) {
      const { interactions } = training;
      const n = interactions.cols;
      const similarity = cosineInPlace(itemGram(interactions, { binary: true }), n);
      const k = Math.min(neighbours, Math.max(n - 1, 0));
      const self = new Uint8Array(n);
      const kept: Int32Array[] = [];
      const keptBy = new Int32Array(n + 1);
      for (let j = 0; j < n; j++) {
        const row = similarity.subarray(j * n, j * n + n);
        self[j] = 1;
        const list = topK(row, k, self).filter((i) => row[i]! > 0);
        self[j] = 0;
        kept.push(list);
        for (const i of list) keptBy[i + 1]!++;
      }
      for (let i = 0; i < n; i++) keptBy[i + 1]! += keptBy[i]!;
      const fill = keptBy.slice(0, n);
      const targets = new Int32Array(keptBy[n]!);
      const weights = new Float64Array(keptBy[n]!);
      kept.forEach((list, j) => {
        for (const i of list) {
          const at = fill[i]!++;
          targets[at] = j;
          weights[at] = similarity[i * n + j]!;
        }
      });
      return (user: number, scores: Float64Array) => {
        for (let p = interactions.indptr[user]!; p < interactions.indptr[user + 1]!; p++) {
          const i = interactions.indices[p]!;
          const strength = interactions.values[p]!;
          for (let q = keptBy[i]!; q < keptBy[i + 1]!; q++) scores[targets[q]!]! += strength * weights[q]!;
        }
      };
    },
  };
}
