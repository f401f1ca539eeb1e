import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSet } from '../evaluation/holdout';
import type { UserModel, UserScorer } from '../evaluation/model';
import { seededRandom } from '../evaluation/seeded-random';
import type { SparseMatrix } from '../evaluation/sparse-matrix';
import type { TunableUserModel } from '../tune-on-validation';

/** Options of BPR-MF (Rendle, Freudenthaler, Gantner & Schmidt-Thieme 2009). */
export interface BprOptions {
  /** Latent factors per user and per item. Default 64. */
  factors?: number;
  /** Passes; each draws as many (user, bought, not bought) triples as there are observed pairs. Default 20. */
  epochs?: number;
  /** SGD step size. Default 0.05. */
  learningRate?: number;
  /** L2 regularisation of the sampled user's, items' factors and the items' biases. Default 0.01. */
  reg?: number;
  /**
   * Triples per mini-batch: one batch of tfjs ops computes their gradients. Default 256: on the
   * dev file's validation fit (207k pairs, wasm, 20 epochs) 256 was the fastest of 64 / 128 / 256 /
   * 1024 (8 s against 13 s at 64 and 18 s at 1024, fit plus scoring), and every size gave the
   * same ndcg@10 to three decimals.
   */
  batchSize?: number;
  /** Seed of the initial factors and of the triple draw. Default 1. */
  seed?: number;
}

/** The fitted parameters, row-major: user u is `users[u·k .. u·k + k)`, item i likewise; `bias[i]` per item. */
export interface BprFactors {
  factors: number;
  users: Float32Array;
  items: Float32Array;
  bias: Float32Array;
}

/** Whether `item` is among row `user`'s (sorted) columns. */
function bought(m: SparseMatrix, user: number, item: number): boolean {
  let lo = m.indptr[user]!;
  let hi = m.indptr[user + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.indices[mid]!;
    if (c === item) return true;
    if (c < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Copies rows `at` (each k long) of `from` into consecutive rows of `to`. */
function gatherRows(from: Float32Array, at: Int32Array, count: number, k: number, to: Float32Array): void {
  for (let b = 0; b < count; b++) to.set(from.subarray(at[b]! * k, at[b]! * k + k), b * k);
}

/** `to[at[b]] += step · rows[b]`, rows k long; duplicates within the batch add up. */
function scatterAdd(to: Float32Array, at: Int32Array, count: number, k: number, rows: Float32Array, offset: number, stride: number, step: number): void {
  for (let b = 0; b < count; b++) {
    const dst = at[b]! * k;
    const src = b * stride + offset;
    for (let f = 0; f < k; f++) to[dst + f]! += step * rows[src + f]!;
  }
}

/**
 * The gradient of one mini-batch, in tfjs: for each triple (u, i, j), x = p_u·(q_i − q_j) + b_i − b_j
 * and the ascent direction of ln σ(x) − λ‖θ‖² is g = σ(−x) times the BPR partials, minus λθ.
 * Returns [B, 3k] (user, bought item, other item) and [B, 2] (the two biases), and the batch's
 * summed ln σ(x). Everything else the tidy makes is freed.
 */
function batchGradient(u: Float32Array, i: Float32Array, j: Float32Array, bi: Float32Array, bj: Float32Array, count: number, k: number, reg: number): { factors: Float32Array; biases: Float32Array; logLikelihood: number } {
  const [factors, biases, ll] = tf.tidy(() => {
    const pu = tf.tensor2d(u.subarray(0, count * k), [count, k]);
    const qi = tf.tensor2d(i.subarray(0, count * k), [count, k]);
    const qj = tf.tensor2d(j.subarray(0, count * k), [count, k]);
    const bI = tf.tensor2d(bi.subarray(0, count), [count, 1]);
    const bJ = tf.tensor2d(bj.subarray(0, count), [count, 1]);
    const diff = tf.sub(qi, qj);
    const x = tf.add(tf.sum(tf.mul(pu, diff), 1, true), tf.sub(bI, bJ));
    const g = tf.sigmoid(tf.neg(x));
    const gu = tf.mul(g, pu);
    const dU = tf.sub(tf.mul(g, diff), tf.mul(pu, reg));
    const dI = tf.sub(gu, tf.mul(qi, reg));
    const dJ = tf.sub(tf.neg(gu), tf.mul(qj, reg));
    const dBi = tf.sub(g, tf.mul(bI, reg));
    const dBj = tf.sub(tf.neg(g), tf.mul(bJ, reg));
    return [tf.concat([dU, dI, dJ], 1), tf.concat([dBi, dBj], 1), tf.sum(tf.logSigmoid(x))];
  });
  try {
    return { factors: factors.dataSync() as Float32Array, biases: biases.dataSync() as Float32Array, logLikelihood: ll.dataSync()[0]! };
  } finally {
    tf.dispose([factors, biases, ll]);
  }
}

/**
 * Fits BPR-MF by mini-batch SGD on whatever TensorFlow.js backend is active. Each epoch draws
 * `pairs` triples uniformly — an observed (user, item) pair, then an item that user never bought
 * (rejection sampling) — and for each batch computes the gradients in tfjs, then adds them to the
 * rows drawn. The parameters live in Float32Arrays: gathering and scattering a batch's rows is a
 * plain loop (the wasm backend's GatherV2 is ~40× slower, see ials.ts), while the per-triple
 * algebra runs as batched tfjs ops. All gradients of a batch use the parameters from its start.
 * Disposes every tensor it makes.
 *
 * `onEpoch`, if given, is told each epoch's mean ln σ(x) (it should rise).
 */
export function fitBpr(interactions: SparseMatrix, options: BprOptions = {}, onEpoch?: (epoch: number, meanLogLikelihood: number) => void): BprFactors {
  const { factors: k = 64, epochs = 20, learningRate = 0.05, reg = 0.01, batchSize = 256, seed = 1 } = options;
  if (!(batchSize >= 1)) throw new RangeError(`BPR batchSize must be at least 1, got ${batchSize}`);
  const random = seededRandom(seed);
  const { rows, cols } = interactions;
  const pairs = interactions.indices.length;
  const users = new Float32Array(rows * k);
  const items = new Float32Array(cols * k);
  const bias = new Float32Array(cols);
  // Rendle et al. start from small random factors (N(0, 0.1²)); uniform ±0.1 has a similar scale.
  for (let x = 0; x < users.length; x++) users[x] = (random() - 0.5) * 0.2;
  for (let x = 0; x < items.length; x++) items[x] = (random() - 0.5) * 0.2;
  // The user of each pair, so a pair can be drawn uniformly.
  const pairUser = new Int32Array(pairs);
  for (let u = 0; u < rows; u++) pairUser.fill(u, interactions.indptr[u]!, interactions.indptr[u + 1]!);

  const batch = Math.min(batchSize, Math.max(pairs, 1));
  const uAt = new Int32Array(batch);
  const iAt = new Int32Array(batch);
  const jAt = new Int32Array(batch);
  const uRows = new Float32Array(batch * k);
  const iRows = new Float32Array(batch * k);
  const jRows = new Float32Array(batch * k);
  const bI = new Float32Array(batch);
  const bJ = new Float32Array(batch);

  for (let epoch = 0; epoch < epochs; epoch++) {
    let logLikelihood = 0;
    let drawn = 0;
    for (let start = 0; start < pairs; start += batch) {
      let count = 0;
      for (; count < Math.min(batch, pairs - start); count++) {
        const p = Math.floor(random() * pairs);
        const u = pairUser[p]!;
        // A user who bought every item has no negative: skip the draw.
        if (interactions.indptr[u + 1]! - interactions.indptr[u]! >= cols) continue;
        let j: number;
        do j = Math.floor(random() * cols);
        while (bought(interactions, u, j));
        uAt[drawn % batch] = u;
        iAt[drawn % batch] = interactions.indices[p]!;
        jAt[drawn % batch] = j;
        drawn++;
      }
      const n = drawn;
      drawn = 0;
      if (n === 0) continue;
      gatherRows(users, uAt, n, k, uRows);
      gatherRows(items, iAt, n, k, iRows);
      gatherRows(items, jAt, n, k, jRows);
      for (let b = 0; b < n; b++) {
        bI[b] = bias[iAt[b]!]!;
        bJ[b] = bias[jAt[b]!]!;
      }
      const grad = batchGradient(uRows, iRows, jRows, bI, bJ, n, k, reg);
      logLikelihood += grad.logLikelihood;
      scatterAdd(users, uAt, n, k, grad.factors, 0, 3 * k, learningRate);
      scatterAdd(items, iAt, n, k, grad.factors, k, 3 * k, learningRate);
      scatterAdd(items, jAt, n, k, grad.factors, 2 * k, 3 * k, learningRate);
      for (let b = 0; b < n; b++) {
        bias[iAt[b]!]! += learningRate * grad.biases[2 * b]!;
        bias[jAt[b]!]! += learningRate * grad.biases[2 * b + 1]!;
      }
    }
    onEpoch?.(epoch, pairs ? logLikelihood / pairs : 0);
  }
  return { factors: k, users, items, bias };
}

/**
 * Floating-point operations of one epoch (`pairs` triples) as `fitBpr` runs it, per triple:
 * x = p·(q_i − q_j) + b_i − b_j (3k + 2), −x, σ and ln σ (~9), the three factor gradients
 * g·v − λθ (9k, g·p_u shared) and the two bias gradients (5), then the SGD steps θ += η·d
 * (6k + 4). Gathers and scatters move memory and are not counted: 18k + 20 per triple.
 */
export function bprEpochFlops({ pairs }: { pairs: number }, { factors: k = 64 }: BprOptions = {}): number {
  return pairs * (18 * k + 20);
}

/** Scores items by the user's and item's factors' dot product plus the item bias. */
export function bprScorer({ factors: k, users, items, bias }: BprFactors): UserScorer {
  return (user: number, scores: Float64Array) => {
    const u = users.subarray(user * k, user * k + k);
    for (let j = 0, at = 0; j < scores.length; j++, at += k) {
      let dot = bias[j]!;
      for (let f = 0; f < k; f++) dot += u[f]! * items[at + f]!;
      scores[j] = dot;
    }
  };
}

/**
 * BPR-MF for "Recommended for you", in TensorFlow.js on the backend chosen by `chooseTfBackend`
 * (call that first: tfjs ops are synchronous only once a backend is ready). Measured against
 * iALS by test/bench/bpr-vs-ials.ts; not in the default model lists.
 */
export function bprModel(options: BprOptions = {}): UserModel {
  return {
    name: 'BPR',
    get backend() {
      return tf.getBackend();
    },
    fit(training: TrainingSet) {
      return bprScorer(fitBpr(training.interactions, options));
    },
  };
}

/**
 * The validation grid: learning rate 0.05 / 0.1 × reg 0.01 / 0.03, at 20 epochs. On the dev file's
 * validation window more epochs help slowly (lr 0.05, reg 0.03: ndcg@10 0.064 at 20 epochs, 0.0695
 * at 80, against iALS's 0.080 at 15 sweeps); reg 0.001 was worse (0.054 at lr 0.1).
 */
export const BPR_GRID: readonly BprOptions[] = [0.05, 0.1].flatMap((learningRate) => [0.01, 0.03].map((reg) => ({ learningRate, reg })));

/** BPR with its grid, for `tuneOnValidation`; `base` fixes everything the grid does not vary. */
export function tunableBpr(base: BprOptions = { factors: 64, epochs: 20, batchSize: 256, seed: 1 }, grid: readonly BprOptions[] = BPR_GRID): TunableUserModel {
  return {
    name: 'BPR',
    candidates: grid.map((point) => {
      const options = { ...base, ...point };
      return { label: `factors ${options.factors}, epochs ${options.epochs}, batchSize ${options.batchSize}, learningRate ${options.learningRate}, reg ${options.reg}`, model: bprModel(options) };
    }),
  };
}
