// A seeded synthetic store for the training benchmarks: customers × products with the skew of a
// real shop. Same options → the same store on every machine.
import { seededRandom, type SparseMatrix, type TrainingSet } from '../../worker/recommend/evaluation';

export interface SyntheticStoreOptions {
  customers?: number;
  products?: number;
  /** Distinct (customer, product) pairs: the nonzeros of the interaction matrix. */
  pairs?: number;
  /** Exponent of the Zipf law of product popularity (rank r drawn ∝ r^−s). Default 1.0. */
  zipf?: number;
  /** Tail index of the customers' activity (Pareto); smaller = heavier tail. Default 1.3. */
  activityTail?: number;
  /** Most distinct products one customer buys. Default 2,000. */
  maxPerCustomer?: number;
  /** Products per category: the co-purchase structure (customers favour a few categories). Default 20. */
  categorySize?: number;
  /** Share of a customer's picks made inside their favourite categories. Default 0.5. */
  categoryShare?: number;
  /** Chance that a bought product is bought again, each time (strength = 1 + geometric). Default 0.25. */
  repeat?: number;
  seed?: number;
}

export interface SyntheticStore {
  training: TrainingSet;
  /** Purchases (sum of strengths) and the largest customer's distinct products. */
  purchases: number;
  largestCustomer: number;
}

/** Cumulative Zipf weights over `n` ranks. */
function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cdf[r] = total += (r + 1) ** -s;
  for (let r = 0; r < n; r++) cdf[r]! /= total;
  return cdf;
}

function draw(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function permutation(n: number, random: () => number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/**
 * The store. Product popularity follows a Zipf law (ranks shuffled over product ids); each
 * customer's number of distinct products follows a Pareto law (most buy one or two, a few buy
 * hundreds), scaled so the pairs sum exactly to `pairs`; half of a customer's picks (by default)
 * come from one to three favourite categories of `categorySize` products, the rest from the whole
 * catalog, which gives co-purchase structure; each pair is bought again with probability `repeat`,
 * again and again (strength 1, 2, … distinct orders). Baskets are the customers' rows (the item
 * models are benchmarked on the real data, not here); every time is 0.
 */
export function syntheticStore({
  customers = 200_000,
  products = 20_000,
  pairs = 1_000_000,
  zipf = 1.0,
  activityTail = 1.3,
  maxPerCustomer = 2000,
  categorySize = 20,
  categoryShare = 0.5,
  repeat = 0.25,
  seed = 1,
}: SyntheticStoreOptions = {}): SyntheticStore {
  if (pairs > customers * Math.min(products, maxPerCustomer)) throw new RangeError(`${pairs} pairs do not fit ${customers} customers`);
  const random = seededRandom(seed);
  const productOfRank = permutation(products, random);
  const global = zipfCdf(products, zipf);
  const categories = Math.ceil(products / categorySize);
  const categoryCdf = zipfCdf(categories, zipf);
  const withinCdf = zipfCdf(categorySize, zipf);

  // Activity: Pareto draws, scaled to the target total, each at least 1 and at most the cap.
  const raw = Float64Array.from({ length: customers }, () => (1 - random()) ** (-1 / activityTail));
  const rawTotal = raw.reduce((a, b) => a + b, 0);
  const counts = Int32Array.from(raw, (x) => Math.min(maxPerCustomer, Math.max(1, Math.round((x * pairs) / rawTotal))));
  let total = counts.reduce((a, b) => a + b, 0);
  // Fix the rounding so the pairs sum exactly to the target: add to or take from random customers.
  while (total !== pairs) {
    const c = Math.floor(random() * customers);
    const step = total < pairs ? (counts[c]! < maxPerCustomer ? 1 : 0) : counts[c]! > 1 ? -1 : 0;
    counts[c]! += step;
    total += step;
  }

  const indptr = new Int32Array(customers + 1);
  const indices = new Int32Array(pairs);
  const values = new Float32Array(pairs);
  let at = 0;
  let purchases = 0;
  let largestCustomer = 0;
  const chosen = new Set<number>();
  for (let c = 0; c < customers; c++) {
    const want = counts[c]!;
    largestCustomer = Math.max(largestCustomer, want);
    const favourites = Array.from({ length: 1 + Math.floor(random() * 3) }, () => draw(categoryCdf, random()));
    chosen.clear();
    while (chosen.size < want) {
      let rank: number;
      if (random() < categoryShare) {
        const category = favourites[Math.floor(random() * favourites.length)]!;
        rank = category * categorySize + draw(withinCdf, random());
        if (rank >= products) continue;
      } else rank = draw(global, random());
      chosen.add(productOfRank[rank]!);
    }
    const row = Int32Array.from(chosen).sort();
    for (const product of row) {
      let strength = 1;
      while (random() < repeat) strength++;
      indices[at] = product;
      values[at++] = strength;
      purchases += strength;
    }
    indptr[c + 1] = at;
  }
  const interactions: SparseMatrix = { rows: customers, cols: products, indptr, indices, values };
  return {
    training: {
      stockCodes: Array.from({ length: products }, (_, i) => `P${i}`),
      customerIds: Array.from({ length: customers }, (_, c) => `C${c}`),
      interactions,
      baskets: interactions,
      cutoff: 0,
      lastPurchase: new Float64Array(pairs),
      basketTime: new Float64Array(customers),
      itemText: Array.from({ length: products }, () => ''),
    },
    purchases,
    largestCustomer,
  };
}
