import type { TrainingSet } from '../evaluation/holdout';

const DAY_SECONDS = 86_400;

/** How much each training basket counts in the co-occurrence counts. */
export interface BasketWeighting {
  /**
   * Days after which a basket counts half: weight 2^(−age / halfLifeDays), age = training.cutoff −
   * basket time. Infinity (the default) counts every basket alike.
   */
  halfLifeDays?: number;
  /**
   * A basket of n catalog items counts 1 / (n − 1)^sizeExponent: a 100-item wholesale order says
   * less about any one pair than a 3-item one. 0 (the default) counts every basket alike.
   */
  sizeExponent?: number;
}

/**
 * Which items share a basket, without weights: item × item compressed rows (the diagonal left
 * out) and the item → baskets index they were counted through. Found once per training set
 * (`weightedCoOccurrence`); each other weighting then costs one pass (`weighPairs`).
 */
export interface CoOccurringPairs {
  items: number;
  indptr: Int32Array;
  indices: Int32Array;
  /** Item → training baskets holding it (compressed rows over items). */
  basketPtr: Int32Array;
  basketIds: Int32Array;
  /** Per item: the number of training baskets holding it. */
  baskets: Float64Array;
}

/** Weighted co-occurrence: `values` aligned with `pairs.indices`, `support[i]` the summed weight of the baskets holding i. */
export interface CoOccurrence {
  pairs: CoOccurringPairs;
  values: Float32Array;
  support: Float64Array;
}

/** Per training basket: its weight under `weighting`. */
export function basketWeights(training: TrainingSet, { halfLifeDays = Infinity, sizeExponent = 0 }: BasketWeighting = {}): Float64Array {
  const { indptr, rows } = training.baskets;
  const weights = new Float64Array(rows);
  const decay = Number.isFinite(halfLifeDays) ? Math.LN2 / (halfLifeDays * DAY_SECONDS) : 0;
  for (let b = 0; b < rows; b++) {
    const size = indptr[b + 1]! - indptr[b]!;
    const age = Math.max(0, training.cutoff - training.basketTime[b]!);
    weights[b] = Math.exp(-decay * age) / (sizeExponent && size > 1 ? Math.pow(size - 1, sizeExponent) : 1);
  }
  return weights;
}

export interface PairOptions {
  /**
   * Baskets with more catalog items than this are left out (and out of `baskets`/`support`):
   * a wholesale restock of hundreds of products says little about any pair, yet costs its size
   * squared. Default Infinity.
   */
  maxBasketItems?: number;
}

/**
 * Finds every co-occurring pair through an item → baskets index, one anchor at a time, so memory
 * is the number of pairs rather than items², and sums their weights under `weighting` in the
 * same pass. Cost: Σ (basket size)². Other weightings of the same pairs: `weighPairs`.
 */
export function weightedCoOccurrence(training: TrainingSet, weighting: BasketWeighting = {}, { maxBasketItems = Infinity }: PairOptions = {}): CoOccurrence {
  const m = training.baskets;
  const n = m.cols;
  const kept = (b: number) => m.indptr[b + 1]! - m.indptr[b]! <= maxBasketItems;
  const basketPtr = new Int32Array(n + 1);
  for (let b = 0; b < m.rows; b++) {
    if (kept(b)) for (let p = m.indptr[b]!; p < m.indptr[b + 1]!; p++) basketPtr[m.indices[p]! + 1]!++;
  }
  for (let i = 0; i < n; i++) basketPtr[i + 1]! += basketPtr[i]!;
  const basketIds = new Int32Array(basketPtr[n]!);
  const fill = basketPtr.slice(0, n);
  for (let b = 0; b < m.rows; b++) {
    if (kept(b)) for (let p = m.indptr[b]!; p < m.indptr[b + 1]!; p++) basketIds[fill[m.indices[p]!]!++] = b;
  }

  const weight = basketWeights(training, weighting);
  const seen = new Int32Array(n).fill(-1);
  const sum = new Float64Array(n);
  const indptr = new Int32Array(n + 1);
  const baskets = new Float64Array(n);
  const support = new Float64Array(n);
  let indices = new Int32Array(Math.max(16, m.indices.length * 4));
  let values = new Float32Array(indices.length);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const from = at;
    baskets[i] = basketPtr[i + 1]! - basketPtr[i]!;
    for (let q = basketPtr[i]!; q < basketPtr[i + 1]!; q++) {
      const b = basketIds[q]!;
      const w = weight[b]!;
      support[i]! += w;
      for (let p = m.indptr[b]!; p < m.indptr[b + 1]!; p++) {
        const j = m.indices[p]!;
        sum[j]! += w;
        if (j === i || seen[j] === i) continue;
        seen[j] = i;
        if (at === indices.length) {
          const biggerIndices = new Int32Array(indices.length * 2);
          biggerIndices.set(indices);
          indices = biggerIndices;
          const biggerValues = new Float32Array(indices.length);
          biggerValues.set(values);
          values = biggerValues;
        }
        indices[at++] = j;
      }
    }
    for (let s = from; s < at; s++) {
      values[s] = sum[indices[s]!]!;
      sum[indices[s]!] = 0;
    }
    sum[i] = 0;
    indptr[i + 1] = at;
  }
  const pairs = { items: n, indptr, indices: indices.slice(0, at), basketPtr, basketIds, baskets };
  return { pairs, values: values.slice(0, at), support };
}

/** Sums each pair's basket weights: one pass of Σ (basket size)². */
export function weighPairs(pairs: CoOccurringPairs, training: TrainingSet, weighting: BasketWeighting = {}): CoOccurrence {
  const m = training.baskets;
  const { items: n, indptr, indices, basketPtr, basketIds } = pairs;
  const weight = basketWeights(training, weighting);
  const values = new Float32Array(indices.length);
  const support = new Float64Array(n);
  // Dense per-anchor accumulator, gathered into the anchor's row and cleared after it.
  const sum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let q = basketPtr[i]!; q < basketPtr[i + 1]!; q++) {
      const b = basketIds[q]!;
      const w = weight[b]!;
      support[i]! += w;
      for (let p = m.indptr[b]!; p < m.indptr[b + 1]!; p++) sum[m.indices[p]!]! += w;
    }
    for (let s = indptr[i]!; s < indptr[i + 1]!; s++) {
      const j = indices[s]!;
      values[s] = sum[j]!;
      sum[j] = 0;
    }
    sum[i] = 0;
  }
  return { pairs, values, support };
}
