import { easeModel } from './ease';
import type { ItemModel, UserModel } from '../evaluation/model';
import type { TunableUserModel } from '../tune-on-validation';
import { buyAgainModel } from './buy-again';
import { coOccurrenceModel } from './co-occurrence';
import { cosineModel } from './cosine';
import { tunableIals } from './ials';
import { itemKnnModel } from './item-knn';
import { basketPopularityModel, popularityModel } from './popularity';

export { basketPopularityModel, buyAgainModel, coOccurrenceModel, cosineModel, itemKnnModel, popularityModel };
export { distinctBuyers } from './popularity';
export { itemGram, cosineInPlace } from './item-gram';
export type { ItemKnnOptions } from './item-knn';
export { fitIals, ialsModel, ialsScorer, ialsSweepFlops, tunableIals, IALS_GRID, type IalsFactors, type IalsOptions } from './ials';

/** The plain-TypeScript baselines for "Recommended for you" (`next-30d-new`, `next-30d-all`). */
export function baselineUserModels(): UserModel[] {
  return [popularityModel, itemKnnModel({ neighbours: 100 }), buyAgainModel, easeModel({ lambda: 500 })];
}

/** The plain-TypeScript baselines for "Frequently bought together" (`fbt-30d`). */
export function baselineItemModels(): ItemModel[] {
  return [basketPopularityModel, cosineModel, coOccurrenceModel];
}

/** The models with hyperparameters, chosen per file on the validation window: iALS. */
export function tunedUserModels(): TunableUserModel[] {
  return [tunableIals()];
}
export { easeModel, easeWeights, type EaseOptions } from './ease';
