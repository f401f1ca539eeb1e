import type { TrainingSet } from '../evaluation/holdout';
import { distinctBuyers } from '../models/popularity';

/**
 * Per catalog item, the fallback order for shoppers and products nothing else covers (new
 * customers, empty lists). PROVISIONAL: distinct buyers until time-decayed trending lands.
 */
export function trendingScores(training: TrainingSet): Float64Array {
  return distinctBuyers(training);
}
