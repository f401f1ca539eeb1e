import type { TrainingSet } from '../evaluation/holdout';
import type { ItemModel } from '../evaluation/model';
import { addTextSimilarity, textIndex } from './content';

/**
 * The content model alone as an item-to-item model: catalog items ranked by the TF-IDF cosine of
 * their product text to the anchor's. It knows nothing of orders, which is what lets it serve
 * products nobody bought yet; `shelfwise eval` shows what that costs on `fbt-30d`.
 */
export const contentModel: ItemModel = {
  name: 'content (product text)',
  fit(training: TrainingSet) {
    const index = textIndex(training.itemText);
    return (anchor: number, scores: Float64Array) => addTextSimilarity(index, index.vectors[anchor]!, scores);
  },
};
