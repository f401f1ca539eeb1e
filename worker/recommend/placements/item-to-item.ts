import { cartQueries, scoreCartQueries } from '../evaluation/cart-queries';
import type { Holdout, TrainingSet } from '../evaluation/holdout';
import type { RankingMetrics } from '../evaluation/metrics';
import type { ItemScorer } from '../evaluation/model';
import { scoreBasketQueries } from '../evaluation/protocols';
import { ANCHOR_SCALES, type AnchorScale } from '../models/item-blend';
import { fitItemBlend, tuneItemBlends, type ItemBlendConfig, type ItemProtocol } from '../models/item-blend-tuning';
import type { BlendChoice, Placement, PlacementBlend } from './contract';

const CO_OCCURRENCE = 'co-occurrence';
const CONTENT = 'content';
/** JSON has no Infinity: a weighting without decay stores its half-life as this. */
const NO_DECAY = 'none';

function choiceOf({ weighting, settings }: ItemBlendConfig, protocol: ItemProtocol, ndcg: number): BlendChoice {
  return {
    weights: { [CO_OCCURRENCE]: 1, [CONTENT]: settings.contentWeight },
    parameters: {
      sizeExponent: weighting.sizeExponent,
      halfLifeDays: Number.isFinite(weighting.halfLifeDays) ? weighting.halfLifeDays : NO_DECAY,
      popularityExponent: settings.popularityExponent,
      anchorScale: settings.anchorScale,
      contentSupport: settings.contentSupport,
      trendExponent: settings.trendExponent,
    },
    validation: { [protocol]: ndcg },
  };
}

function anchorScaleOf(value: number | string | undefined): AnchorScale {
  // Choices made before anchor scales existed scaled by the best item.
  if (value === undefined) return 'best';
  if (!ANCHOR_SCALES.includes(value as AnchorScale)) throw new TypeError(`item-to-item choice: anchorScale must be one of ${ANCHOR_SCALES.join(', ')}, got ${String(value)}`);
  return value as AnchorScale;
}

function configOf({ weights, parameters }: BlendChoice): ItemBlendConfig {
  const number = (name: string): number => {
    const value = parameters[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`item-to-item choice: parameter ${name} must be a finite number, got ${String(value)}`);
    return value;
  };
  const halfLife = parameters.halfLifeDays;
  const contentWeight = weights[CONTENT] ?? 0;
  const coWeight = weights[CO_OCCURRENCE] ?? 1;
  if (!(coWeight > 0)) throw new TypeError(`item-to-item choice: the ${CO_OCCURRENCE} weight must be positive, got ${coWeight}`);
  return {
    // The scorer normalises co-occurrence to 1, so only the ratio of the two weights matters.
    weighting: { sizeExponent: number('sizeExponent'), halfLifeDays: halfLife === NO_DECAY ? Infinity : number('halfLifeDays') },
    settings: {
      popularityExponent: number('popularityExponent'),
      anchorScale: anchorScaleOf(parameters.anchorScale),
      contentWeight: contentWeight / coWeight,
      contentSupport: number('contentSupport'),
      // Choices made before the trend factor existed have none: no trend.
      trendExponent: parameters.trendExponent === undefined ? 0 : number('trendExponent'),
    },
  };
}

function itemBlend(placement: Placement, protocol: ItemProtocol): PlacementBlend<ItemScorer> {
  return {
    placement,
    components: [CO_OCCURRENCE, CONTENT],
    tune(validation: Holdout): BlendChoice {
      const { config, ndcg } = tuneItemBlends(validation)[protocol];
      return choiceOf(config, protocol, ndcg);
    },
    fit(training: TrainingSet, choice: BlendChoice): ItemScorer {
      return fitItemBlend(training, configOf(choice));
    },
    evaluate(scorer: ItemScorer, holdout: Holdout): Record<string, RankingMetrics> {
      const metrics =
        protocol === 'fbt-30d' ? scoreBasketQueries(scorer, holdout.training, holdout.basketQueries) : scoreCartQueries(scorer, holdout.training, cartQueries(holdout));
      return { [protocol]: metrics };
    },
  };
}

/**
 * "Frequently bought together" on the product page, judged by `fbt-30d`: co-occurrence over
 * training baskets (size- and age-weighted, popularity-damped, normalised per anchor) plus
 * product-text similarity that counts most for products with few orders. Weighting and mix are
 * chosen on validation `fbt-30d`.
 */
export const productBlend = itemBlend('product', 'fbt-30d');

/**
 * Cart upsell, judged by `cart-30d`: the same components, scored per cart item and summed at
 * serve time (each anchor normalised to 1, so every cart item weighs alike); weighting and mix
 * chosen on validation `cart-30d`.
 */
export const cartBlend = itemBlend('cart', 'cart-30d');
