import * as tf from '@tensorflow/tfjs-core';
import { invertSpdInPlace } from './spd-inverse';

/** Blocks of at most this order are inverted in Float64 by {@link invertSpdInPlace}. */
export const DEFAULT_LEAF_ORDER = 512;

/**
 * Inverse of a dense symmetric positive definite n × n matrix (row-major float32), computed in
 * place, with the big products in TensorFlow.js: recursive block inversion on the Schur
 * complement. With A = [[A11, A12], [A21, A22]] split at h = ⌈n/2⌉, X11 = A11⁻¹, W = A21 X11 and
 * S = A22 − W A12 (SPD, as a Schur complement of an SPD matrix), the inverse is
 * [[X11 − X12 W, X12], [X21, S⁻¹]] with X21 = −S⁻¹ W and X12 = X21ᵀ.
 *
 * Each level costs four products of (n/2)-sized blocks (n³ flops), so the whole inverse costs
 * (4/3)·n³ flops ({@link spdInverseFlops}), all but the leaves in `tf.matMul` — ~15–25 GFLOP/s
 * on the wasm backend here, against ~4 GFLOP/s for the Float64 Cholesky inverse in plain
 * TypeScript. Only untransposed products are used (wasm runs `transposeA`/`transposeB` products
 * about 10× slower), and blocks move between levels as plain Float32Arrays, not through
 * `tf.slice`/`tf.concat` (which the wasm backend runs in JavaScript, with extra copies), so the
 * largest tensor is a quarter of the matrix. Blocks of order ≤ `leaf` are inverted in Float64,
 * which also rejects a matrix that is not SPD with NotPositiveDefiniteError. Float32 throughout
 * otherwise: entries agree with the Float64 inverse to ~1e-6 of the largest for the Gram
 * matrices of EASE (tested at 1e-5). Every tensor it makes is disposed, also on error.
 */
export function invertSpdFloat32InPlace(matrix: Float32Array, n: number, leaf = DEFAULT_LEAF_ORDER): Float32Array {
  if (matrix.length !== n * n) throw new RangeError(`expected ${n * n} entries, got ${matrix.length}`);
  if (!(leaf >= 1)) throw new RangeError(`leaf order must be at least 1, got ${leaf}`);
  invert(matrix, n, leaf);
  return matrix;
}

function invert(a: Float32Array, n: number, leaf: number): void {
  if (n <= leaf) {
    a.set(invertSpdInPlace(Float64Array.from(a), n));
    return;
  }
  const h = Math.ceil(n / 2);
  const rest = n - h;
  const x11 = block(a, n, 0, 0, h, h);
  invert(x11, h, leaf);
  // S = A22 − A21 X11 A12; W = A21 X11 stays a tensor for the second half. (tf.tidy returns
  // tensors only: it walks whatever it returns, and a typed array element by element.)
  const [w, schur] = tf.tidy(() => {
    const product = tf.matMul(tf.tensor2d(block(a, n, h, 0, rest, h), [rest, h]), tf.tensor2d(x11, [h, h]));
    return [product, tf.sub(tf.tensor2d(block(a, n, h, h, rest, rest), [rest, rest]), tf.matMul(product, tf.tensor2d(block(a, n, 0, h, h, rest), [h, rest])))];
  });
  try {
    const y = readAndDispose(schur);
    invert(y, rest, leaf);
    const [top11, x12, x21] = tf.tidy(() => {
      const minusX21 = tf.matMul(tf.tensor2d(y, [rest, rest]), w);
      const x12Tensor = tf.neg(tf.transpose(minusX21));
      return [tf.sub(tf.tensor2d(x11, [h, h]), tf.matMul(x12Tensor, w)), x12Tensor, tf.neg(minusX21)];
    });
    try {
      put(a, n, 0, 0, readAndDispose(top11!), h, h);
      put(a, n, 0, h, readAndDispose(x12!), h, rest);
      put(a, n, h, 0, readAndDispose(x21!), rest, h);
    } finally {
      tf.dispose([top11!, x12!, x21!]);
    }
    put(a, n, h, h, y, rest, rest);
  } finally {
    tf.dispose([w, schur]);
  }
}

/** The tensor's values (a copy on wasm; on cpu possibly its buffer, unused once it is disposed). */
function readAndDispose(t: tf.Tensor): Float32Array {
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}

/** Rows [r0, r0 + rows) × columns [c0, c0 + cols) of the n-column matrix a, as a new array. */
function block(a: Float32Array, n: number, r0: number, c0: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) out.set(a.subarray((r0 + r) * n + c0, (r0 + r) * n + c0 + cols), r * cols);
  return out;
}

function put(a: Float32Array, n: number, r0: number, c0: number, values: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) a.set(values.subarray(r * cols, (r + 1) * cols), (r0 + r) * n + c0);
}

/** Floating-point operations of {@link invertSpdFloat32InPlace}: four products per split, n³ per Float64 leaf. */
export function spdInverseFlops(n: number, leaf = DEFAULT_LEAF_ORDER): number {
  if (n <= leaf) return n ** 3;
  const h = Math.ceil(n / 2);
  const rest = n - h;
  return 2 * (rest * h * h) + 2 * (rest * h * rest) + 2 * (rest * rest * h) + 2 * (h * rest * h) + spdInverseFlops(h, leaf) + spdInverseFlops(rest, leaf);
}
