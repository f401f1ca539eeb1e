import type { TrainingSet } from './holdout';

/**
 * A fitted model's view of one user: writes a score for every catalog item into `scores`
 * (length = catalog size, zeroed by the caller). Higher is better; pure and allocation-free,
 * so the protocol can rank the full catalog for every user.
 */
export type UserScorer = (user: number, scores: Float64Array) => void;

/** Same for item to item: scores every catalog item from the anchor. */
export type ItemScorer = (anchor: number, scores: Float64Array) => void;

/** A model for "Recommended for you": fit is pure and returns the scorer. */
export interface UserModel {
  readonly name: string;
  /** The TensorFlow.js backend the model fits on; absent for plain TypeScript models. */
  readonly backend?: string;
  fit(training: TrainingSet): UserScorer;
}

/** A model for "Frequently bought together". */
export interface ItemModel {
  readonly name: string;
  fit(training: TrainingSet): ItemScorer;
}
