import type { TrainingSet } from '../evaluation/holdout';
import type { ItemScorer } from '../evaluation/model';
import { contentNeighbours, textIndex, type ContentNeighbours } from './content';
import { basketWeights, type CoOccurrence } from './weighted-co-occurrence';

/** Content neighbours kept per item: the blend never needs a text match below the 100th. */
export const CONTENT_NEIGHBOURS = 100;

/**
 * Weight of basket popularity in every list, far below any co-occurrence or text score: it only
 * orders items nothing else scored (an anchor with no neighbours still gets the store's staples).
 */
const POPULARITY_TIE_BREAK = 1e-6;

/**
 * How an anchor's co-occurrence row is scaled before text and other anchors are added to it:
 * `best` divides by the row's largest (damped) value, so every anchor's best item scores 1;
 * `support` divides by support(a)^(1 − popularityExponent), which makes the row c(a, j) /
 * (s(a)^(1−γ) s(j)^γ): the conditional probability P(j | a) at γ = 0, cosine at γ = 0.5. In a
 * cart, `support` lets the anchor with the surer neighbours speak louder.
 */
export const ANCHOR_SCALES = ['best', 'support'] as const;
export type AnchorScale = (typeof ANCHOR_SCALES)[number];

/** The blend's knobs besides the basket weighting (which is in the CoOccurrence). */
export interface ItemBlendSettings {
  /**
   * Co-occurrence of anchor a and item j is divided by support(j)^popularityExponent: 0 is the
   * raw count, 0.5 is cosine-like.
   */
  popularityExponent: number;
  anchorScale: AnchorScale;
  /** Weight of the text cosine beside the scaled co-occurrence. */
  contentWeight: number;
  /**
   * When > 0 the text weight shrinks with the anchor's basket count b: contentWeight · s / (s + b),
   * so text speaks loudest for products with few orders. 0 keeps contentWeight for every anchor.
   */
  contentSupport: number;
  /**
   * Every score is multiplied by recentShare(j)^trendExponent (see `recentShare`): items selling
   * now, for their size, move up. 0 leaves scores alone.
   */
  trendExponent: number;
}

/** Half-life, in days, of the "selling now" basket counts behind the trend factor. */
export const TREND_HALF_LIFE_DAYS = 14;

/**
 * Per catalog item: (baskets in the last weeks, decayed with TREND_HALF_LIFE_DAYS, + 1) / (all
 * training baskets + 1) — the share of its sales that is recent, smoothed for rare items.
 */
export function recentShare(training: TrainingSet): Float64Array {
  const { indptr, indices, rows, cols } = training.baskets;
  const weight = basketWeights(training, { halfLifeDays: TREND_HALF_LIFE_DAYS });
  const recent = new Float64Array(cols);
  const all = new Float64Array(cols);
  for (let b = 0; b < rows; b++) {
    for (let p = indptr[b]!; p < indptr[b + 1]!; p++) {
      recent[indices[p]!]! += weight[b]!;
      all[indices[p]!]! += 1;
    }
  }
  return recent.map((r, j) => (r + 1) / (all[j]! + 1));
}

/** What a fitted blend is made of; the weighting is in `co`. */
export interface ItemBlendParts {
  co: CoOccurrence;
  content: ContentNeighbours;
  /** `recentShare` of the same training set. */
  recentShare: Float64Array;
}

/**
 * Item-to-item scores: co-occurrence (weighted baskets, popularity-damped, scaled per anchor: see
 * ANCHOR_SCALES) plus product-text similarity, weighted up for
 * anchors with little support, plus a vanishing basket-popularity tie-break; all of it scaled by
 * the trend factor.
 */
export function itemBlendScorer({ co, content, recentShare }: ItemBlendParts, { popularityExponent, anchorScale, contentWeight, contentSupport, trendExponent }: ItemBlendSettings): ItemScorer {
  const { indptr, indices, baskets } = co.pairs;
  const { values, support } = co;
  const damp = Float64Array.from(support, (s) => (s > 0 ? Math.pow(s, -popularityExponent) : 0));
  let maxBaskets = 0;
  for (const b of baskets) maxBaskets = Math.max(maxBaskets, b);
  // The trend factor scales every term, so it is folded into the per-item constants here and
  // applied to the touched entries only, never as a pass over the catalog per anchor.
  const trend = recentShare.map((share) => (trendExponent ? Math.pow(share, trendExponent) : 1));
  const popularity = Float64Array.from(baskets, (b, j) => (maxBaskets ? (POPULARITY_TIE_BREAK * b * trend[j]!) / maxBaskets : 0));
  const coScale = Float64Array.from(damp, (d, j) => d * trend[j]!);
  return (anchor: number, scores: Float64Array) => {
    scores.set(popularity);
    const from = indptr[anchor]!;
    const to = indptr[anchor + 1]!;
    let scale = 0;
    if (anchorScale === 'support') scale = Math.pow(support[anchor]!, 1 - popularityExponent);
    else for (let p = from; p < to; p++) scale = Math.max(scale, values[p]! * damp[indices[p]!]!);
    if (scale > 0) for (let p = from; p < to; p++) scores[indices[p]!]! += (values[p]! * coScale[indices[p]!]!) / scale;
    const weight = contentSupport > 0 ? (contentWeight * contentSupport) / (contentSupport + baskets[anchor]!) : contentWeight;
    if (weight > 0) {
      for (let p = content.indptr[anchor]!; p < content.indptr[anchor + 1]!; p++) {
        const j = content.indices[p]!;
        scores[j]! += weight * content.values[p]! * trend[j]!;
      }
    }
  };
}

/** The text neighbours of every catalog item, from `training.itemText`. */
export function catalogContentNeighbours(training: TrainingSet, neighbours = CONTENT_NEIGHBOURS): ContentNeighbours {
  return contentNeighbours(textIndex(training.itemText), neighbours);
}
