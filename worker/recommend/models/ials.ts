import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSet } from '../evaluation/holdout';
import type { UserModel, UserScorer } from '../evaluation/model';
import { seededRandom } from '../evaluation/seeded-random';
import type { SparseMatrix } from '../evaluation/sparse-matrix';
import type { TunableUserModel } from '../tune-on-validation';

/** Options of implicit-feedback weighted ALS (Hu, Koren & Volinsky 2008; CG solver of Takács et al. 2011). */
export interface IalsOptions {
  /** Latent factors per user and per item. Default 64. */
  factors?: number;
  /** Sweeps; each solves all users, then all items. Default 15. */
  iterations?: number;
  /** L2 regularisation λ added to every normal-equation diagonal. Default 1. */
  reg?: number;
  /** Confidence of an observed pair = 1 + alpha × strength (distinct invoices). Default 20. */
  alpha?: number;
  /** Conjugate-gradient steps per user or item per sweep, warm-started from the last factors. Default 3. */
  cgSteps?: number;
  /** Seed of the initial factors (uniform in ±0.005·…, see init). Default 1. */
  seed?: number;
  /** Rows solved together in one batch of CG tensors; bounds memory on big stores. Default 65,536. */
  batchRows?: number;
}

/** The fitted factors, row-major: user u is `users[u·k .. u·k + k)`, item i likewise. */
export interface IalsFactors {
  factors: number;
  users: Float32Array;
  items: Float32Array;
}

/** One side's observed pairs in compressed rows: the rows are the side being solved. */
interface Side {
  rows: number;
  indptr: Int32Array;
  indices: Int32Array;
  /** alpha × strength = confidence − 1, per pair. */
  extra: Float32Array;
}

function transpose(m: SparseMatrix): SparseMatrix {
  const indptr = new Int32Array(m.cols + 1);
  for (const c of m.indices) indptr[c + 1]!++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1]! += indptr[c]!;
  const fill = indptr.slice(0, m.cols);
  const indices = new Int32Array(m.indices.length);
  const values = new Float32Array(m.indices.length);
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      const at = fill[m.indices[p]!]!++;
      indices[at] = r;
      values[at] = m.values[p]!;
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, values };
}

function side(m: SparseMatrix, alpha: number): Side {
  return { rows: m.rows, indptr: m.indptr, indices: m.indices, extra: m.values.map((v) => alpha * v) };
}

/**
 * The sparse half of the operator for rows [from, to), Σ_{i ∈ I_u} w_ui (y_i · v_u) y_i, with
 * w = `weights` (confidence − 1 for A·v; for the right-hand side pass confidence and v = null to
 * get Σ c_ui y_i); `v` holds the batch's rows only. Plain TypeScript on purpose: it is a gather
 * and a scatter over the observed pairs, which the wasm backend's GatherV2 runs about 40x slower
 * than this loop (1.2 s against ~30 ms for 240k pairs × 64 factors), while the dense half stays in tfjs.
 */
function sparseProducts(s: Side, from: number, to: number, fixed: Float32Array, k: number, v: Float32Array | null, weights: Float32Array, plusOne: boolean): Float32Array {
  const out = new Float32Array((to - from) * k);
  // Four independent sums and four-wide updates: V8 keeps them in registers, ~3x the plain loops.
  const k4 = k - (k % 4);
  for (let u = from; u < to; u++) {
    const base = (u - from) * k;
    for (let p = s.indptr[u]!; p < s.indptr[u + 1]!; p++) {
      const at = s.indices[p]! * k;
      let w = weights[p]! + (plusOne ? 1 : 0);
      if (v) {
        let d0 = 0;
        let d1 = 0;
        let d2 = 0;
        let d3 = 0;
        let f = 0;
        for (; f < k4; f += 4) {
          d0 += fixed[at + f]! * v[base + f]!;
          d1 += fixed[at + f + 1]! * v[base + f + 1]!;
          d2 += fixed[at + f + 2]! * v[base + f + 2]!;
          d3 += fixed[at + f + 3]! * v[base + f + 3]!;
        }
        for (; f < k; f++) d0 += fixed[at + f]! * v[base + f]!;
        w *= d0 + d1 + d2 + d3;
      }
      let f = 0;
      for (; f < k4; f += 4) {
        out[base + f]! += w * fixed[at + f]!;
        out[base + f + 1]! += w * fixed[at + f + 1]!;
        out[base + f + 2]! += w * fixed[at + f + 2]!;
        out[base + f + 3]! += w * fixed[at + f + 3]!;
      }
      for (; f < k; f++) out[base + f]! += w * fixed[at + f]!;
    }
  }
  return out;
}

/** YᵀY (k × k) of the fixed side's factors, as a tensor: an explicit transpose, since wasm runs transposed products ~10× slower. */
function gramOf(fixed: Float32Array, rows: number, k: number): tf.Tensor2D {
  // No rows: YᵀY = 0 (and XNNPACK refuses a product with an empty inner dimension).
  if (rows === 0) return tf.zeros([k, k]);
  return tf.tidy(() => {
    const y = tf.tensor2d(fixed, [rows, k]);
    return tf.matMul(tf.transpose(y), y);
  });
}

/**
 * Solves every row of one side: for row u, (YᵀY + Yᵀ(C_u − I)Y + λI) x_u = Yᵀ C_u p_u, with
 * `cgSteps` conjugate-gradient steps from the current x_u. YᵀY is shared by all rows (one k × k
 * matmul); the CG updates run batched in tfjs over `batchRows` rows at a time, and every step
 * frees the previous step's tensors, so memory stays O(batchRows·k) on top of the factors
 * whatever the number of users. The sparse correction walks only the observed pairs, so a step
 * costs O(rows·k² + nnz·k) and never builds a per-row k × k matrix.
 */
function solveSide(s: Side, current: Float32Array, fixed: Float32Array, fixedRows: number, k: number, { reg, cgSteps, batchRows }: { reg: number; cgSteps: number; batchRows: number }): Float32Array {
  const next = new Float32Array(s.rows * k);
  if (s.rows === 0) return next;
  const gram = gramOf(fixed, fixedRows, k);
  try {
    for (let from = 0; from < s.rows; from += batchRows) {
      const to = Math.min(s.rows, from + batchRows);
      next.set(solveBatch(s, from, to, current, fixed, k, gram, reg, cgSteps), from * k);
    }
  } finally {
    gram.dispose();
  }
  return next;
}

function solveBatch(s: Side, from: number, to: number, current: Float32Array, fixed: Float32Array, k: number, gram: tf.Tensor2D, reg: number, cgSteps: number): Float32Array {
  const shape: [number, number] = [to - from, k];
  const apply = (v: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => {
      const sparse = tf.tensor2d(sparseProducts(s, from, to, fixed, k, v.dataSync() as Float32Array, s.extra, false), shape);
      return tf.addN([tf.matMul(v, gram), tf.mul(v, reg), sparse]) as tf.Tensor2D;
    });
  let [x, r, p, rsOld] = tf.tidy(() => {
    const x0 = tf.tensor2d(current.subarray(from * k, to * k), shape);
    const b = tf.tensor2d(sparseProducts(s, from, to, fixed, k, null, s.extra, true), shape);
    const r0: tf.Tensor2D = tf.sub(b, apply(x0));
    return [x0, r0, r0, tf.sum(tf.square(r0), 1, true) as tf.Tensor2D];
  });
  try {
    for (let step = 0; step < cgSteps; step++) {
      const [x1, r1, p1, rsNew] = tf.tidy(() => {
        const ap = apply(p);
        // A row whose residual is already zero keeps its factors (0 / 0 would be NaN).
        const alpha = tf.divNoNan(rsOld, tf.sum(tf.mul(p, ap), 1, true));
        const xNext: tf.Tensor2D = tf.add(x, tf.mul(alpha, p));
        const rNext: tf.Tensor2D = tf.sub(r, tf.mul(alpha, ap));
        const rs: tf.Tensor2D = tf.sum(tf.square(rNext), 1, true);
        const pNext = tf.add(rNext, tf.mul(tf.divNoNan(rs, rsOld), p)) as tf.Tensor2D;
        return [xNext, rNext, pNext, rs];
      });
      tf.dispose([x, r, p, rsOld]);
      [x, r, p, rsOld] = [x1, r1, p1, rsNew];
    }
    return x.dataSync() as Float32Array;
  } finally {
    tf.dispose([x, r, p, rsOld]);
  }
}

function initialFactors(rows: number, k: number, random: () => number): Float32Array {
  // Small and centred: the first sweep's solve sets the scale.
  const values = new Float32Array(rows * k);
  for (let i = 0; i < values.length; i++) values[i] = (random() - 0.5) * 0.02;
  return values;
}

/**
 * Fits the factors on whatever TensorFlow.js backend is active. The factors live in plain
 * Float32Arrays between half-sweeps and each side is solved in batches of `batchRows` rows, so
 * memory is the two factor matrices, the interactions (twice: by user and by item) and one
 * batch's CG tensors — never a users × items matrix. Disposes every tensor it makes.
 */
export function fitIals(interactions: SparseMatrix, options: IalsOptions = {}): IalsFactors {
  const { factors: k = 64, iterations = 15, reg = 1, alpha = 20, cgSteps = 3, seed = 1, batchRows = 65536 } = options;
  if (!(batchRows >= 1)) throw new RangeError(`iALS batchRows must be at least 1, got ${batchRows}`);
  const random = seededRandom(seed);
  const userSide = side(interactions, alpha);
  const itemSide = side(transpose(interactions), alpha);
  let users = initialFactors(interactions.rows, k, random);
  let items = initialFactors(interactions.cols, k, random);
  const solve = { reg, cgSteps, batchRows };
  for (let sweep = 0; sweep < iterations; sweep++) {
    users = solveSide(userSide, users, items, interactions.cols, k, solve);
    items = solveSide(itemSide, items, users, interactions.rows, k, solve);
  }
  return { factors: k, users, items };
}

/**
 * Floating-point operations of one sweep (users then items) as `solveSide` runs it: per side a
 * Gram matrix (2·n·k²), the right-hand side (2·nnz·k), and cgSteps + 1 applications of the
 * normal-equation operator (2·rows·k² dense + 4·nnz·k sparse + 2·rows·k) plus ~10·rows·k of
 * CG vector updates per step.
 */
export function ialsSweepFlops({ users, items, pairs }: { users: number; items: number; pairs: number }, { factors: k = 64, cgSteps = 3 }: IalsOptions = {}): number {
  const sideFlops = (rows: number, fixed: number) => 2 * fixed * k * k + 2 * pairs * k + (cgSteps + 1) * (2 * rows * k * k + 4 * pairs * k + 2 * rows * k) + cgSteps * 10 * rows * k;
  return sideFlops(users, items) + sideFlops(items, users);
}

/** Scores items by the dot product of the user's and the item's factors. */
export function ialsScorer({ factors: k, users, items }: IalsFactors): UserScorer {
  return (user: number, scores: Float64Array) => {
    const u = users.subarray(user * k, user * k + k);
    for (let j = 0, at = 0; j < scores.length; j++, at += k) {
      let dot = 0;
      for (let f = 0; f < k; f++) dot += u[f]! * items[at + f]!;
      scores[j] = dot;
    }
  };
}

/**
 * iALS for "Recommended for you", in TensorFlow.js on the backend chosen by `chooseTfBackend`
 * (call that first: tfjs ops are synchronous only once a backend is ready).
 */
export function ialsModel(options: IalsOptions = {}): UserModel {
  return {
    name: 'iALS',
    get backend() {
      return tf.getBackend();
    },
    fit(training: TrainingSet) {
      return ialsScorer(fitIals(training.interactions, options));
    },
  };
}

/** The validation grid docs/evaluation.md's reference row used: reg 0.1 / 1 × alpha 5 / 20. */
export const IALS_GRID: readonly IalsOptions[] = [0.1, 1].flatMap((reg) => [5, 20].map((alpha) => ({ reg, alpha })));

/** iALS with its grid, for `tuneOnValidation`; `base` fixes everything the grid does not vary. */
export function tunableIals(base: IalsOptions = { factors: 64, iterations: 15, cgSteps: 3, seed: 1 }, grid: readonly IalsOptions[] = IALS_GRID): TunableUserModel {
  return {
    name: 'iALS',
    candidates: grid.map((point) => {
      const options = { ...base, ...point };
      return { label: `factors ${options.factors}, iterations ${options.iterations}, cgSteps ${options.cgSteps}, reg ${options.reg}, alpha ${options.alpha}`, model: ialsModel(options) };
    }),
  };
}
