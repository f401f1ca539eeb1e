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
 * multiply-adds (n³ flops in all). Every inner loop walks rows, never columns, and works on four
 * rows at once so each streamed row is loaded once per four multiply-adds; for 4,000 items the
 * matrices (128 MB each) do not fit any cache, so this reuse is what sets the speed. Needs one
 * extra n × n buffer for V.
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
      // Entries left of the block: every needed entry of the four rows is already final.
      for (let j = 0; j < i0; j++) {
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
      for (let k = a1; k < n; k++) {
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
 * to both triangles.
 */
export function gramOfRowsInto(v: Float64Array, n: number, out: Float64Array): void {
  for (let a = 0; a < n; a++) {
    const ra = a * n;
    let b = 0;
    for (; b + 4 <= a + 1; b += 4) {
      const r0 = b * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let c = a; c < n; c++) {
        const x = v[ra + c]!;
        s0 += v[r0 + c]! * x;
        s1 += v[r1 + c]! * x;
        s2 += v[r2 + c]! * x;
        s3 += v[r3 + c]! * x;
      }
      out[ra + b] = s0;
      out[ra + b + 1] = s1;
      out[ra + b + 2] = s2;
      out[ra + b + 3] = s3;
    }
    for (; b <= a; b++) out[ra + b] = dot(v, ra + a, b * n + a, n - a);
  }
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) out[a * n + b] = out[b * n + a]!;
}
