import { mergeCartLists, PUBLISHED_LIST_LENGTH } from '../../../shared/serving/merge-cart-lists';
import type { Holdout, TrainingSet } from './holdout';
import { K, MetricAccumulator, type RankingMetrics } from './metrics';
import type { ItemScorer } from './model';
import { seededRandom } from './seeded-random';
import { topK } from './top-k';

/** The seed of the `cart-30d` draw; changing it changes every published `cart-30d` figure. */
export const CART_SEED = 20_101_210;

/** Items in the cart when the upsell block renders; a query needs at least one more in its basket. */
export const CART_SIZE = 2;

/** One `cart-30d` query: two items of a window basket as the cart, the rest of the basket as truth. */
export interface CartQuery {
  cart: Int32Array;
  truth: Int32Array;
}

/**
 * Protocol `cart-30d` (cart upsell), derived from a holdout's `fbt-30d` queries: every window
 * basket with at least three catalog items (anchor + at least two truth items), its items in
 * catalog order, two of them drawn with a fixed seed as the cart; truth = the rest of the basket.
 */
export function cartQueries(holdout: Holdout, seed = CART_SEED): CartQuery[] {
  const random = seededRandom(seed);
  const queries: CartQuery[] = [];
  for (const { anchor, truth } of holdout.basketQueries) {
    if (truth.length + 1 <= CART_SIZE) continue;
    const items = Int32Array.from([anchor, ...truth]).sort();
    const first = Math.floor(random() * items.length);
    let second = Math.floor(random() * (items.length - 1));
    if (second >= first) second++;
    queries.push({
      cart: Int32Array.of(items[first]!, items[second]!),
      truth: items.filter((_, k) => k !== first && k !== second),
    });
  }
  return queries;
}

/**
 * Scores `cart-30d` the way the storefront serves the cart: each cart item's published list (its
 * top `listLength` items by the scorer, itself left out) is merged by `mergeCartLists` (rank
 * votes added across the cart, cart items left out); metrics at K = 10 on the merged list.
 */
export function scoreCartQueries(scorer: ItemScorer, training: TrainingSet, queries: readonly CartQuery[], k = K, listLength = PUBLISHED_LIST_LENGTH): RankingMetrics {
  const n = training.interactions.cols;
  const scores = new Float64Array(n);
  const self = new Uint8Array(n);
  const metrics = new MetricAccumulator(n, k);
  const published = new Map<number, Int32Array>();
  const listOf = (item: number) => {
    let list = published.get(item);
    if (!list) {
      scores.fill(0);
      scorer(item, scores);
      self[item] = 1;
      list = topK(scores, listLength, self);
      self[item] = 0;
      published.set(item, list);
    }
    return list;
  };
  for (const { cart, truth } of queries) {
    const merged = mergeCartLists(Array.from(cart, (item) => Array.from(listOf(item))), new Set(cart), k);
    metrics.add(Int32Array.from(merged), truth);
  }
  return metrics.result();
}
