import type { Holdout, TrainingSet } from '../evaluation/holdout';
import type { UserScorer } from '../evaluation/model';
import { scoreUserQueries } from '../evaluation/protocols';
import { buyAgainModel } from '../models/buy-again';
import type { BlendChoice, PlacementBlend } from './contract';

/**
 * "Recommended for you". PROVISIONAL: buy again alone until the blend lands (issue 3); the
 * interface is the one the training pipeline uses.
 */
export const forYouBlend: PlacementBlend<UserScorer> = {
  placement: 'for_you',
  components: ['buy again'],
  tune(): BlendChoice {
    return { weights: { 'buy again': 1 }, parameters: {}, validation: {} };
  },
  fit(training: TrainingSet): UserScorer {
    return buyAgainModel.fit(training);
  },
  evaluate(scorer: UserScorer, holdout: Holdout) {
    return {
      'next-30d-new': scoreUserQueries(scorer, holdout.training, holdout.newItemQueries, { excludeTrainingItems: true }),
      'next-30d-all': scoreUserQueries(scorer, holdout.training, holdout.allItemQueries, { excludeTrainingItems: false }),
    };
  },
};
