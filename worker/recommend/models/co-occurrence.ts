import type { TrainingSet } from '../evaluation/holdout';
import type { ItemModel } from '../evaluation/model';
import { itemGram } from './item-gram';

/** Co-occurrence count: items ranked by the number of training baskets holding both. */
export const coOccurrenceModel: ItemModel = {
  name: 'co-occurrence',
  fit(training: TrainingSet) {
    const n = training.baskets.cols;
    const gram = itemGram(training.baskets, { binary: true });
    return (anchor: number, scores: Float64Array) => scores.set(gram.subarray(anchor * n, anchor * n + n));
  },
};
