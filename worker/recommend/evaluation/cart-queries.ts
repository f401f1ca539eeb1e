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
 * Scores `cart-30d`: each cart item's scores (the scorer sees a zeroed buffer per item) are summed,
 * the cart items are left out and every other catalog item is ranked; metrics at K = 10.
 */
export function scoreCartQueries(scorer: ItemScorer, training: TrainingSet, queries: readonly CartQuery[], k = K): RankingMetrics {
  const n = training.interactions.cols;
  const total = new Float64Array(n);
  const one = new Float64Array(n);
  const excluded = new Uint8Array(n);
  const metrics = new MetricAccumulator(n, k);
  for (const { cart, truth } of queries) {
    total.fill(0);
    for (const item of cart) {
      one.fill(0);
      scorer(item, one);
      for (let j = 0; j < n; j++) total[j]! += one[j]!;
      excluded[item] = 1;
    }
    metrics.add(topK(total, k, excluded), truth);
    for (const item of cart) excluded[item] = 0;
  }
  return metrics.result();
}
