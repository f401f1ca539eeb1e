import { contentModel } from './content-model';
import { easeModel } from './ease';
import { trendingModel } from './trending';
import type { ItemModel, UserModel } from '../evaluation/model';
import type { TunableUserModel } from '../tune-on-validation';
import { buyAgainModel } from './buy-again';
import { coOccurrenceModel } from './co-occurrence';
import { cosineModel } from './cosine';
import { tunableIals } from './ials';
import { itemKnnModel } from './item-knn';
import { basketPopularityModel, popularityModel } from './popularity';

export { basketPopularityModel, buyAgainModel, coOccurrenceModel, contentModel, cosineModel, itemKnnModel, popularityModel, trendingModel };
export { distinctBuyers } from './popularity';
export { itemGram, cosineInPlace } from './item-gram';
export type { ItemKnnOptions } from './item-knn';
export { fitIals, ialsModel, ialsScorer, ialsSweepFlops, tunableIals, IALS_GRID, type IalsFactors, type IalsOptions } from './ials';

/** The plain-TypeScript baselines for "Recommended for you" (`next-30d-new`, `next-30d-all`). */
export function baselineUserModels(): UserModel[] {
  // Trending at the fallback list's half-life (placements/trending.ts), beside plain popularity.
  return [popularityModel, trendingModel({ halfLifeDays: 7 }), itemKnnModel({ neighbours: 100 }), buyAgainModel, easeModel({ lambda: 500 })];
}

/** The plain-TypeScript baselines for "Frequently bought together" (`fbt-30d`). */
export function baselineItemModels(): ItemModel[] {
  return [basketPopularityModel, cosineModel, coOccurrenceModel, contentModel];
}

/** The models with hyperparameters, chosen per file on the validation window: iALS. */
export function tunedUserModels(): TunableUserModel[] {
  return [tunableIals()];
}
export { easeModel, easeWeights, type EaseOptions } from './ease';
