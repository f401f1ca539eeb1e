import { cartQueries, scoreCartQueries } from '../evaluation/cart-queries';
import type { Holdout, TrainingSet } from '../evaluation/holdout';
import type { ItemScorer } from '../evaluation/model';
import { scoreBasketQueries } from '../evaluation/protocols';
import type { ContentNeighbours } from './content';
import { catalogContentNeighbours, itemBlendScorer, recentShare, type AnchorScale, type ItemBlendParts, type ItemBlendSettings } from './item-blend';
import { weighPairs, weightedCoOccurrence, type BasketWeighting, type CoOccurrence, type CoOccurringPairs } from './weighted-co-occurrence';

/** The item-to-item protocols a blend is tuned on: the product page's and the cart's. */
export type ItemProtocol = 'fbt-30d' | 'cart-30d';

/** A full item-to-item configuration: how baskets count, and how the components mix. */
export interface ItemBlendConfig {
  weighting: Required<BasketWeighting>;
  settings: ItemBlendSettings;
}

/** Basket weightings tried on validation, each under DEFAULT_SETTINGS; the raw count first. */
export const WEIGHTING_GRID: readonly Required<BasketWeighting>[] = [
  { sizeExponent: 0, halfLifeDays: Infinity },
  { sizeExponent: 0.5, halfLifeDays: 120 },
  { sizeExponent: 1, halfLifeDays: 120 },
];

/** The mix the weightings are compared under: undamped counts, text at half weight, shrinking past ~50 orders. */
export const DEFAULT_SETTINGS: ItemBlendSettings = { popularityExponent: 0, anchorScale: 'best', contentWeight: 0.5, contentSupport: 50, trendExponent: 0 };

/**
 * Anchor scales and text mixes (anchorScale, contentWeight, contentSupport) tried next, undamped;
 * co-occurrence alone first. A row scaled by support is a conditional probability, well below
 * the 1 a row scaled at its best item reaches, so its text weights are smaller.
 */
export const CONTENT_GRID: readonly (readonly [AnchorScale, number, number])[] = [
  ['best', 0, 0],
  ['best', 0.5, 50],
  ['best', 1, 50],
  ['best', 2, 50],
  ['support', 0.1, 50],
  ['support', 0.25, 50],
  ['support', 0.5, 50],
];

/** Popularity damping tried next, with the chosen weighting and text mix. */
export const POPULARITY_EXPONENT_GRID: readonly number[] = [0, 0.1];

/** The trend factor tried last. */
export const TREND_EXPONENT_GRID: readonly number[] = [0, 0.25];

/**
 * Baskets above this many catalog items are left out of co-occurrence: on the development file
 * they are 0.7 % of baskets but 39 % of the pair work, and leaving them out moved validation
 * ndcg@10 by under 0.002 either way.
 */
export const MAX_BASKET_ITEMS = 200;

/** What one training set's components cost once: the pairs, the text neighbours, a couple of weightings. */
interface FittedParts {
  pairs: CoOccurringPairs;
  content: ContentNeighbours;
  recentShare: Float64Array;
  weighted: Map<string, CoOccurrence>;
}

// Keyed by the training set, so product and cart blends fitted on the same data share the work
// and nothing outlives the training set.
const partsOf = new WeakMap<TrainingSet, FittedParts>();
const KEEP_WEIGHTINGS = 2;

function weightingKey({ sizeExponent, halfLifeDays }: Required<BasketWeighting>): string {
  return `${sizeExponent}/${halfLifeDays}`;
}

function weighted(training: TrainingSet, weighting: Required<BasketWeighting>): ItemBlendParts {
  const key = weightingKey(weighting);
  let found = partsOf.get(training);
  if (!found) {
    // The first weighting asked for is counted with the pairs, in the same pass.
    const co = weightedCoOccurrence(training, weighting, { maxBasketItems: MAX_BASKET_ITEMS });
    found = { pairs: co.pairs, content: catalogContentNeighbours(training), recentShare: recentShare(training), weighted: new Map([[key, co]]) };
    partsOf.set(training, found);
  }
  let co = found.weighted.get(key);
  if (!co) {
    co = weighPairs(found.pairs, training, weighting);
    if (found.weighted.size >= KEEP_WEIGHTINGS) found.weighted.delete(found.weighted.keys().next().value!);
    found.weighted.set(key, co);
  }
  return { co, content: found.content, recentShare: found.recentShare };
}

/** Fits a configuration on a training set (components shared with other fits on the same set). */
export function fitItemBlend(training: TrainingSet, { weighting, settings }: ItemBlendConfig): ItemScorer {
  return itemBlendScorer(weighted(training, weighting), settings);
}

export interface ItemTuning {
  config: ItemBlendConfig;
  /** Validation ndcg@10 of the chosen configuration on the protocol it was chosen for. */
  ndcg: number;
  /** Configurations scored. */
  tried: number;
}

const sameSettings = (a: ItemBlendSettings, b: ItemBlendSettings) =>
  a.popularityExponent === b.popularityExponent && a.anchorScale === b.anchorScale && a.contentWeight === b.contentWeight && a.contentSupport === b.contentSupport && a.trendExponent === b.trendExponent;

const tuned = new WeakMap<Holdout, Record<ItemProtocol, ItemTuning>>();

/**
 * Chooses, on the validation holdout only, one configuration per item protocol by ndcg@10:
 * first the basket weighting (each scored on both protocols under DEFAULT_SETTINGS), then on
 * that weighting the anchor scale and text mix, then the popularity damping, then the trend factor; last, each
 * protocol tries the other's choice. Ties keep the earlier candidate. Memoised per
 * holdout: the product and cart blends tune on the same validation run.
 */
export function tuneItemBlends(validation: Holdout): Record<ItemProtocol, ItemTuning> {
  const memo = tuned.get(validation);
  if (memo) return memo;
  const { training } = validation;
  const carts = cartQueries(validation);
  const score = (protocol: ItemProtocol, scorer: ItemScorer) =>
    protocol === 'fbt-30d' ? scoreBasketQueries(scorer, training, validation.basketQueries).ndcg : scoreCartQueries(scorer, training, carts).ndcg;
  const best: Record<ItemProtocol, ItemTuning | undefined> = { 'fbt-30d': undefined, 'cart-30d': undefined };
  const consider = (protocol: ItemProtocol, config: ItemBlendConfig, ndcg: number) => {
    const current = best[protocol];
    if (!current || ndcg > current.ndcg) best[protocol] = { config, ndcg, tried: (current?.tried ?? 0) + 1 };
    else current.tried++;
  };
  for (const weighting of WEIGHTING_GRID) {
    const scorer = fitItemBlend(training, { weighting, settings: DEFAULT_SETTINGS });
    for (const protocol of ['fbt-30d', 'cart-30d'] as const) consider(protocol, { weighting, settings: DEFAULT_SETTINGS }, score(protocol, scorer));
  }
  // Coordinate ascent from each protocol's weighting: the text mix, then popularity damping.
  for (const protocol of ['fbt-30d', 'cart-30d'] as const) {
    const { weighting } = best[protocol]!.config;
    const tried: ItemBlendSettings[] = [DEFAULT_SETTINGS];
    const tryMix = (settings: ItemBlendSettings) => {
      if (tried.some((done) => sameSettings(done, settings))) return;
      tried.push(settings);
      consider(protocol, { weighting, settings }, score(protocol, fitItemBlend(training, { weighting, settings })));
    };
    for (const [anchorScale, contentWeight, contentSupport] of CONTENT_GRID) tryMix({ ...DEFAULT_SETTINGS, anchorScale, contentWeight, contentSupport });
    const mix = best[protocol]!.config.settings;
    for (const popularityExponent of POPULARITY_EXPONENT_GRID) tryMix({ ...mix, popularityExponent });
    const damped = best[protocol]!.config.settings;
    for (const trendExponent of TREND_EXPONENT_GRID) tryMix({ ...damped, trendExponent });
  }
  // The ascent is greedy: each protocol also gets the other's final configuration as a candidate.
  const finals = { 'fbt-30d': best['fbt-30d']!.config, 'cart-30d': best['cart-30d']!.config };
  for (const [protocol, other] of [
    ['fbt-30d', 'cart-30d'],
    ['cart-30d', 'fbt-30d'],
  ] as const) {
    const config = finals[other];
    const mine = best[protocol]!.config;
    if (weightingKey(config.weighting) === weightingKey(mine.weighting) && sameSettings(config.settings, mine.settings)) continue;
    consider(protocol, config, score(protocol, fitItemBlend(training, config)));
  }
  const result = { 'fbt-30d': best['fbt-30d']!, 'cart-30d': best['cart-30d']! };
  tuned.set(validation, result);
  return result;
}
