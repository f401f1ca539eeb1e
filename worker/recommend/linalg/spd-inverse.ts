import { ShelfwiseError } from '../../../shared/errors';

/** The matrix handed to {@link invertSpdInPlace} is not symmetric positive definite (a pivot ≤ 0). */
export class NotPositiveDefiniteError extends ShelfwiseError {
  constructor(
    readonly pivotRow: number,
    readonly pivot: number,
  ) {
    super(`matrix is not positive definite: pivot ${pivot} at row ${pivotRow}`);
  }
}

/**
 * Inverse of a dense symmetric positive definite n × n matrix (row-major), computed in place:
 * the input's storage ends up holding the full inverse (both triangles). Only the lower triangle
 * of the input is read.
 *
 * Cholesky G = L Lᵀ, then V = L⁻ᵀ (upper triangular), then G⁻¹ = V Vᵀ: each stage costs n³/6
 * multiply-adds (n³ flops in all: about 16 s for n = 3,954 on one core here, ~4 GFLOP/s). Every
 * inner loop walks rows, never columns, and updates several rows from each pair of streamed
 * values, so a loaded value feeds several multiply-adds; for 4,000 items the matrices (128 MB
 * each) fit no cache, and this reuse is what sets the speed. Needs one extra n × n buffer for V.
 */
export function invertSpdInPlace(matrix: Float64Array, n: number): Float64Array {
  if (matrix.length !== n * n) throw new RangeError(`expected ${n * n} entries, got ${matrix.length}`);
  choleskyInPlace(matrix, n);
  const inverseFactor = inverseTransposedFactor(matrix, n);
  gramOfRowsInto(inverseFactor, n, matrix);
  return matrix;
}

/** Lower Cholesky factor in place (row-major, lower triangle; the strict upper triangle is left as it was). */
export function choleskyInPlace(a: Float64Array, n: number): void {
  for (let i0 = 0; i0 < n; i0 += 4) {
    const m = Math.min(4, n - i0);
    if (m === 4) {
      const r0 = i0 * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      // Entries left of the block: every needed entry of the four rows is already final. Columns
      // j, j + 1 share one sweep; L[i][j + 1] then takes its last term, L[i][j] L[j + 1][j].
      let j = 0;
      for (; j + 2 <= i0; j += 2) {
        const rj = j * n;
        const rk = rj + n;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let t0 = 0;
        let t1 = 0;
        let t2 = 0;
        let t3 = 0;
        for (let k = 0; k < j; k++) {
          const x = a[rj + k]!;
          const y = a[rk + k]!;
          const a0 = a[r0 + k]!;
          const a1 = a[r1 + k]!;
          const a2 = a[r2 + k]!;
          const a3 = a[r3 + k]!;
          s0 += a0 * x;
          s1 += a1 * x;
          s2 += a2 * x;
          s3 += a3 * x;
          t0 += a0 * y;
          t1 += a1 * y;
          t2 += a2 * y;
          t3 += a3 * y;
        }
        const d = a[rj + j]!;
        const c0 = (a[r0 + j] = (a[r0 + j]! - s0) / d);
        const c1 = (a[r1 + j] = (a[r1 + j]! - s1) / d);
        const c2 = (a[r2 + j] = (a[r2 + j]! - s2) / d);
        const c3 = (a[r3 + j] = (a[r3 + j]! - s3) / d);
        const e = a[rk + j]!;
        const dk = a[rk + j + 1]!;
        a[r0 + j + 1] = (a[r0 + j + 1]! - t0 - c0 * e) / dk;
        a[r1 + j + 1] = (a[r1 + j + 1]! - t1 - c1 * e) / dk;
        a[r2 + j + 1] = (a[r2 + j + 1]! - t2 - c2 * e) / dk;
        a[r3 + j + 1] = (a[r3 + j + 1]! - t3 - c3 * e) / dk;
      }
      for (; j < i0; j++) {
        const rj = j * n;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let k = 0; k < j; k++) {
          const x = a[rj + k]!;
          s0 += a[r0 + k]! * x;
          s1 += a[r1 + k]! * x;
          s2 += a[r2 + k]! * x;
          s3 += a[r3 + k]! * x;
        }
        const d = a[rj + j]!;
        a[r0 + j] = (a[r0 + j]! - s0) / d;
        a[r1 + j] = (a[r1 + j]! - s1) / d;
        a[r2 + j] = (a[r2 + j]! - s2) / d;
        a[r3 + j] = (a[r3 + j]! - s3) / d;
      }
      choleskyDiagonalBlock(a, n, i0, i0 + 4);
    } else {
      for (let i = i0; i < i0 + m; i++) {
        const ri = i * n;
        for (let j = 0; j < i0; j++) a[ri + j] = (a[ri + j]! - dot(a, ri, j * n, j)) / a[j * n + j]!;
      }
      choleskyDiagonalBlock(a, n, i0, i0 + m);
    }
  }
}

/** Rows [from, to) of the factor at columns [from, row]: the small triangle on the diagonal. */
function choleskyDiagonalBlock(a: Float64Array, n: number, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const ri = i * n;
    for (let j = from; j < i; j++) a[ri + j] = (a[ri + j]! - dot(a, ri, j * n, j)) / a[j * n + j]!;
    const pivot = a[ri + i]! - dot(a, ri, ri, i);
    if (!(pivot > 0)) throw new NotPositiveDefiniteError(i, pivot);
    a[ri + i] = Math.sqrt(pivot);
  }
}

function dot(a: Float64Array, x: number, y: number, length: number): number {
  let s = 0;
  for (let k = 0; k < length; k++) s += a[x + k]! * a[y + k]!;
  return s;
}

/**
 * V = L⁻ᵀ from the lower factor L: solves Lᵀ V = I from the last row up, row a being
 * (e_a − Σ_{k>a} L[k][a] V_k) / L[a][a]. V is upper triangular; returned as a new n × n array.
 */
export function inverseTransposedFactor(factor: Float64Array, n: number): Float64Array {
  const v = new Float64Array(n * n);
  const top = Math.floor((n - 1) / 4) * 4;
  for (let a0 = top; a0 >= 0; a0 -= 4) {
    const a1 = Math.min(a0 + 4, n);
    if (a1 - a0 === 4) {
      const r0 = a0 * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let k = a1;
      // Two rows k, k + 1 per sweep halve the loads and stores of the four rows being built.
      for (; k + 2 <= n; k += 2) {
        const lk = k * n;
        const ln = lk + n;
        const l0 = factor[lk + a0]!;
        const l1 = factor[lk + a0 + 1]!;
        const l2 = factor[lk + a0 + 2]!;
        const l3 = factor[lk + a0 + 3]!;
        const m0 = factor[ln + a0]!;
        const m1 = factor[ln + a0 + 1]!;
        const m2 = factor[ln + a0 + 2]!;
        const m3 = factor[ln + a0 + 3]!;
        // Column k: row k + 1 of V is zero there.
        const first = v[lk + k]!;
        v[r0 + k]! -= l0 * first;
        v[r1 + k]! -= l1 * first;
        v[r2 + k]! -= l2 * first;
        v[r3 + k]! -= l3 * first;
        for (let c = k + 1; c < n; c++) {
          const x = v[lk + c]!;
          const y = v[ln + c]!;
          v[r0 + c]! -= l0 * x + m0 * y;
          v[r1 + c]! -= l1 * x + m1 * y;
          v[r2 + c]! -= l2 * x + m2 * y;
          v[r3 + c]! -= l3 * x + m3 * y;
        }
      }
      for (; k < n; k++) {
        const lk = k * n;
        const l0 = factor[lk + a0]!;
        const l1 = factor[lk + a0 + 1]!;
        const l2 = factor[lk + a0 + 2]!;
        const l3 = factor[lk + a0 + 3]!;
        for (let c = k; c < n; c++) {
          const x = v[lk + c]!;
          v[r0 + c]! -= l0 * x;
          v[r1 + c]! -= l1 * x;
          v[r2 + c]! -= l2 * x;
          v[r3 + c]! -= l3 * x;
        }
      }
    } else {
      for (let a = a0; a < a1; a++) {
        const ra = a * n;
        for (let k = a1; k < n; k++) {
          const l = factor[k * n + a]!;
          const rk = k * n;
          for (let c = k; c < n; c++) v[ra + c]! -= l * v[rk + c]!;
        }
      }
    }
    // The small triangle inside the block, last row first, then the diagonal and the scaling.
    for (let a = a1 - 1; a >= a0; a--) {
      const ra = a * n;
      for (let k = a + 1; k < a1; k++) {
        const l = factor[k * n + a]!;
        const rk = k * n;
        for (let c = k; c < n; c++) v[ra + c]! -= l * v[rk + c]!;
      }
      v[ra + a] = 1;
      const d = factor[ra + a]!;
      for (let c = a; c < n; c++) v[ra + c]! /= d;
    }
  }
  return v;
}

/**
 * out = V Vᵀ for an upper triangular V: out[a][b] = Σ_{c ≥ max(a, b)} V[a][c] V[b][c], written
 * to both triangles. Two rows a, a + 1 against four rows b at a time: eight sums per six loads.
 */
export function gramOfRowsInto(v: Float64Array, n: number, out: Float64Array): void {
  let a = 0;
  for (; a + 2 <= n; a += 2) {
    const ra = a * n;
    const rn = ra + n;
    const lead = v[ra + a]!;
    let b = 0;
    for (; b + 4 <= a + 1; b += 4) {
      const r0 = b * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      // Column a is the first of row a's range and outside row a + 1's (V[a + 1][a] = 0).
      let s0 = lead * v[r0 + a]!;
      let s1 = lead * v[r1 + a]!;
      let s2 = lead * v[r2 + a]!;
      let s3 = lead * v[r3 + a]!;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let c = a + 1; c < n; c++) {
        const x = v[ra + c]!;
        const y = v[rn + c]!;
        const b0 = v[r0 + c]!;
        const b1 = v[r1 + c]!;
        const b2 = v[r2 + c]!;
        const b3 = v[r3 + c]!;
        s0 += x * b0;
        s1 += x * b1;
        s2 += x * b2;
        s3 += x * b3;
        t0 += y * b0;
        t1 += y * b1;
        t2 += y * b2;
        t3 += y * b3;
      }
      out[ra + b] = s0;
      out[ra + b + 1] = s1;
      out[ra + b + 2] = s2;
      out[ra + b + 3] = s3;
      out[rn + b] = t0;
      out[rn + b + 1] = t1;
      out[rn + b + 2] = t2;
      out[rn + b + 3] = t3;
    }
    for (; b <= a; b++) {
      out[ra + b] = dot(v, ra + a, b * n + a, n - a);
      out[rn + b] = dot(v, rn + a + 1, b * n + a + 1, n - a - 1);
    }
    out[rn + a + 1] = dot(v, rn + a + 1, rn + a + 1, n - a - 1);
  }
  for (; a < n; a++) {
    const ra = a * n;
    for (let b = 0; b <= a; b++) out[ra + b] = dot(v, ra + a, b * n + a, n - a);
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[i * n + j] = out[j * n + i]!;
}
