import type { Holdout, TrainingSet } from '../evaluation/holdout';
import type { ItemScorer } from '../evaluation/model';
import { scoreBasketQueries } from '../evaluation/protocols';
import { coOccurrenceModel } from '../models/co-occurrence';
import type { BlendChoice, PlacementBlend, Placement } from './contract';

function provisional(placement: Placement): PlacementBlend<ItemScorer> {
  return {
    placement,
    components: ['co-occurrence'],
    tune(): BlendChoice {
      return { weights: { 'co-occurrence': 1 }, parameters: {}, validation: {} };
    },
    fit(training: TrainingSet): ItemScorer {
      return coOccurrenceModel.fit(training);
    },
    evaluate(scorer: ItemScorer, holdout: Holdout) {
      return { 'fbt-30d': scoreBasketQueries(scorer, holdout.training, holdout.basketQueries) };
    },
  };
}

/** "Frequently bought together" on the product page. PROVISIONAL: co-occurrence until the blend lands. */
export const productBlend = provisional('product');

/** Cart upsell: scored per cart item and summed at serve time. PROVISIONAL: co-occurrence. */
export const cartBlend = provisional('cart');
