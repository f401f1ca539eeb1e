import type { Holdout, TrainingSet } from '../evaluation/holdout';
import type { RankingMetrics } from '../evaluation/metrics';

/** Where a storefront block shows a list; each has its own blend. */
export const PLACEMENTS = ['product', 'for_you', 'cart'] as const;
export type Placement = (typeof PLACEMENTS)[number];

/**
 * What a blend chose on the validation window, JSON-serialisable: it is stored with the model
 * version. `weights` are per component (a component's name → weight); `parameters` any
 * hyperparameters chosen with them; `validation` the figures the choice was made on.
 */
export interface BlendChoice {
  weights: Record<string, number>;
  parameters: Record<string, number | string>;
  validation: Record<string, number>;
}

/**
 * One placement's blend. `tune` sees only the validation holdout (fit before its window, scored
 * on it); `fit` refits the chosen configuration on any training set; `evaluate` scores a fitted
 * scorer on a holdout's queries with the protocols that judge this placement (by protocol name:
 * `next-30d-new`/`next-30d-all` for "for you", `fbt-30d` for the product page, `cart-30d` for the cart).
 */
export interface PlacementBlend<Scorer> {
  readonly placement: Placement;
  /** Component names, e.g. ['buy again', 'EASE', 'trending']: the keys of `weights`. */
  readonly components: readonly string[];
  tune(validation: Holdout): BlendChoice;
  fit(training: TrainingSet, choice: BlendChoice): Scorer;
  evaluate(scorer: Scorer, holdout: Holdout): Record<string, RankingMetrics>;
}

/** A product the store sells, with its text, whether or not anyone bought it yet. */
export interface CatalogProduct {
  /** The same key as `TrainingSet.stockCodes` (the Shopify product id in a store, the stock code in a file). */
  code: string;
  /** Title, type, vendor, tags and description joined; plain text. */
  text: string;
}

/** Whether a blend runs TensorFlow.js (EASE^R's inverse and iALS do), so its backend is reported. */
export function usesTensorFlow(blend: PlacementBlend<unknown>): boolean {
  return blend.components.some((c) => /ials|ease|tf/i.test(c));
}
