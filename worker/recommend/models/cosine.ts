import type { TrainingSet } from '../evaluation/holdout';
import type { ItemModel } from '../evaluation/model';
import { cosineInPlace, itemGram } from './item-gram';

/** Cosine item to item over training baskets: co-occurrence / sqrt(baskets of each item). */
export const cosineModel: ItemModel = {
  name: 'cosine',
  fit(training: TrainingSet) {
    const n = training.baskets.cols;
    const similarity = cosineInPlace(itemGram(training.baskets, { binary: true }), n);
    return (anchor: number, scores: Float64Array) => scores.set(similarity.subarray(anchor * n, anchor * n + n));
  },
};
