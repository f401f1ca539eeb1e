import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSet } from '../evaluation/holdout';
import type { UserModel } from '../evaluation/model';
import type { SparseMatrix } from '../evaluation/sparse-matrix';
import { invertSpdFloat32InPlace, invertSpdInPlace } from '../linalg';

/**
 * Default cap on EASE's item vocabulary: only the this-many items with the most distinct buyers
 * get weights; every other item scores 0 from EASE. B is dense (n² floats), so the cap bounds
 * memory and time whatever the catalog: at 6,000 items the fit costs (4/3)·n³ ≈ 288 GFLOP (~15 s
 * on wasm here) and its process peaks at ~740 MiB RSS (docs/benchmarks.md), so a 20,000-product
 * store stays inside the training worker's 2 GB; uncapped it would need 1.6 GB per n × n float32
 * matrix. The development data's 3,954 items fit under it.
 */
export const EASE_MAX_ITEMS = 6000;

export interface EaseOptions {
  /** L2 penalty λ added to the diagonal of XᵀX, in units of interactions (purchase counts). Default 500. */
  lambda?: number;
  /**
   * What an entry of X is: `binary` (bought or not) or `strength` (distinct invoices holding the
   * item), used both to fit B and to score. Default `binary`. On the development data's
   * validation window at λ = 500, `binary` wins discovery (`next-30d-new` ndcg@10 0.0984 vs
   * 0.0904) and `strength` wins buy-again-plus-discovery (`next-30d-all` 0.2928 vs 0.2538): counts
   * push re-orders up, which `new` filters out anyway. Discovery is this model's placement.
   */
  weighting?: 'binary' | 'strength';
  /** Items with weights: the most-bought (distinct buyers) this many; the rest score 0. Default {@link EASE_MAX_ITEMS}. */
  maxItems?: number;
  /**
   * How (XᵀX + λI)⁻¹ is computed: `tfjs` — recursive block inverse, products in `tf.matMul`,
   * float32 (on the backend `chooseTfBackend` chose; call it first) — or `float64`, the plain
   * TypeScript Cholesky inverse, ~3.5× slower than `tfjs` on wasm. Default `tfjs`. Both give the same ranking
   * on the development data (`next-30d-new` ndcg@10 0.1051).
   */
  solver?: 'tfjs' | 'float64';
}

/** The fitted model: weights over a vocabulary of catalog items. */
export interface EaseFit {
  /** Vocabulary slot → catalog item, ascending. */
  vocabulary: Int32Array;
  /** Catalog item → vocabulary slot, or −1 for an item without weights. */
  slotOf: Int32Array;
  /** B over the vocabulary, row-major n × n (n = vocabulary length), zero diagonal. */
  weights: Float32Array | Float64Array;
}

/**
 * EASE^R (Steck 2019): the item × item weights B minimising ‖X − XB‖² + λ‖B‖² with diag(B) = 0
 * have the closed form B = I − P · diag(1 / diag(P)), P = (XᵀX + λI)⁻¹, i.e. B[i][j] =
 * −P[i][j] / P[j][j] off the diagonal. A user's scores are x_u B. Fitting costs one dense
 * n × n inverse over the (capped) vocabulary; scoring walks only the rows of B of the items the
 * user bought.
 */
export function easeModel({ lambda = 500, weighting = 'binary', maxItems = EASE_MAX_ITEMS, solver = 'tfjs' }: EaseOptions = {}): UserModel {
  if (!(lambda > 0)) throw new RangeError(`EASE lambda must be positive, got ${lambda}`);
  if (!(maxItems >= 1) || !Number.isInteger(maxItems)) throw new RangeError(`EASE maxItems must be a positive integer, got ${maxItems}`);
  const binary = weighting === 'binary';
  return {
    name: 'EASE^R',
    get backend() {
      return solver === 'tfjs' ? tf.getBackend() : 'none';
    },
    fit(training: TrainingSet) {
      const { interactions } = training;
      const { slotOf, vocabulary, weights } = fitEase(interactions, { lambda, binary, maxItems, solver });
      const n = vocabulary.length;
      if (n === interactions.cols) {
        // Every item has weights: slot = item.
        return (user: number, scores: Float64Array) => {
          for (let p = interactions.indptr[user]!; p < interactions.indptr[user + 1]!; p++) {
            const x = binary ? 1 : interactions.values[p]!;
            const row = interactions.indices[p]! * n;
            for (let j = 0; j < n; j++) scores[j]! += x * weights[row + j]!;
          }
        };
      }
      return (user: number, scores: Float64Array) => {
        for (let p = interactions.indptr[user]!; p < interactions.indptr[user + 1]!; p++) {
          const slot = slotOf[interactions.indices[p]!]!;
          if (slot < 0) continue;
          const x = binary ? 1 : interactions.values[p]!;
          const row = slot * n;
          for (let j = 0; j < n; j++) scores[vocabulary[j]!]! += x * weights[row + j]!;
        }
      };
    },
  };
}

/** Fits B on the `maxItems` most-bought items of `interactions`. */
export function fitEase(
  interactions: SparseMatrix,
  { lambda, binary, maxItems, solver }: { lambda: number; binary: boolean; maxItems: number; solver: 'tfjs' | 'float64' },
): EaseFit {
  const vocabulary = easeVocabulary(interactions, maxItems);
  const slotOf = new Int32Array(interactions.cols).fill(-1);
  vocabulary.forEach((item, slot) => (slotOf[item] = slot));
  const n = vocabulary.length;
  const gram = vocabularyGram(interactions, slotOf, n, binary);
  const weights = solver === 'tfjs' ? easeWeightsTf(gram, n, lambda) : easeWeights(Float64Array.from(gram), n, lambda);
  return { vocabulary, slotOf, weights };
}

/** The `maxItems` items with the most distinct buyers (ties: lower index first), ascending. */
export function easeVocabulary(interactions: SparseMatrix, maxItems: number): Int32Array {
  const cols = interactions.cols;
  if (cols <= maxItems) return Int32Array.from({ length: cols }, (_, i) => i);
  const buyers = new Float64Array(cols);
  for (const item of interactions.indices) buyers[item]! += 1;
  const order = Int32Array.from({ length: cols }, (_, i) => i).sort((a, b) => buyers[b]! - buyers[a]! || a - b);
  return order.subarray(0, maxItems).sort();
}

/**
 * XᵀX restricted to the vocabulary (row-major n × n float32; counts are exact below 2²⁴). With
 * `binary`, entries count as 1. Cost: Σ (vocabulary items per row)².
 */
function vocabularyGram(m: SparseMatrix, slotOf: Int32Array, n: number, binary: boolean): Float32Array {
  const gram = new Float32Array(n * n);
  const slots = new Int32Array(m.cols);
  const values = new Float32Array(m.cols);
  for (let r = 0; r < m.rows; r++) {
    let length = 0;
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      const slot = slotOf[m.indices[p]!]!;
      if (slot < 0) continue;
      slots[length] = slot;
      values[length++] = binary ? 1 : m.values[p]!;
    }
    for (let a = 0; a < length; a++) {
      const base = slots[a]! * n;
      const va = values[a]!;
      for (let b = 0; b < length; b++) gram[base + slots[b]!]! += va * values[b]!;
    }
  }
  return gram;
}

/** B from the Gram matrix XᵀX (row-major n × n), computed in its storage, which is returned. Float64, plain TypeScript. */
export function easeWeights(gram: Float64Array, n: number, lambda: number): Float64Array {
  for (let i = 0; i < n; i++) gram[i * n + i]! += lambda;
  return weightsFromInverse(invertSpdInPlace(gram, n), n);
}

/**
 * B from the Gram matrix XᵀX (row-major n × n) with the inverse's products in TensorFlow.js,
 * float32 ({@link invertSpdFloat32InPlace}), computed in `gram`'s storage, which is returned.
 * Disposes every tensor it makes.
 */
export function easeWeightsTf(gram: Float32Array, n: number, lambda: number): Float32Array {
  for (let i = 0; i < n; i++) gram[i * n + i]! += lambda;
  return weightsFromInverse(invertSpdFloat32InPlace(gram, n), n);
}

/** B[i][j] = −P[i][j] / P[j][j], B[i][i] = 0, in P's storage. */
function weightsFromInverse<T extends Float32Array | Float64Array>(p: T, n: number): T {
  const inverseDiagonal = new Float64Array(n);
  for (let j = 0; j < n; j++) inverseDiagonal[j] = -1 / p[j * n + j]!;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) p[row + j]! *= inverseDiagonal[j]!;
    p[row + i] = 0;
  }
  return p;
}
