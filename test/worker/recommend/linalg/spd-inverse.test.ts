import { seededRandom } from '../../../../worker/recommend/evaluation';
import { choleskyInPlace, invertSpdInPlace, NotPositiveDefiniteError } from '../../../../worker/recommend/linalg';

/** A random SPD matrix M Mᵀ + I, row-major; M has entries in [−1/2, 1/2). */
function randomSpd(n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const m = Float64Array.from({ length: n * n }, () => random() - 0.5);
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < n; k++) s += m[i * n + k]! * m[j * n + k]!;
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return g;
}

function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) c[i * n + j]! += a[i * n + k]! * b[k * n + j]!;
  return c;
}

function distanceFromIdentity(a: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(a[i * n + j]! - (i === j ? 1 : 0)));
  return worst;
}

describe('invertSpdInPlace', () => {
  // Sizes around the four-row blocking: remainders 0, 1, 2, 3 and a single partial block.
  it.each([1, 3, 4, 37, 64, 130])('G × G⁻¹ = G⁻¹ × G = I for a random SPD matrix of order %i', (n) => {
    const g = randomSpd(n, 1000 + n);
    const inverse = invertSpdInPlace(g.slice(), n);
    expect(distanceFromIdentity(multiply(g, inverse, n), n)).toBeLessThan(1e-9);
    expect(distanceFromIdentity(multiply(inverse, g, n), n)).toBeLessThan(1e-9);
  });

  it('returns an exactly symmetric inverse', () => {
    const n = 23;
    const inverse = invertSpdInPlace(randomSpd(n, 7), n);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(inverse[i * n + j]).toBe(inverse[j * n + i]);
  });

  it('inverts a 2 × 2 matrix to the textbook formula', () => {
    // [[4, 2], [2, 3]]⁻¹ = [[3, −2], [−2, 4]] / 8.
    const inverse = invertSpdInPlace(Float64Array.of(4, 2, 2, 3), 2);
    [3 / 8, -2 / 8, -2 / 8, 4 / 8].forEach((v, i) => expect(inverse[i]).toBeCloseTo(v, 14));
  });

  it('rejects a matrix that is not positive definite, naming the row', () => {
    // [[1, 2], [2, 1]] has eigenvalues 3 and −1: the second pivot is 1 − 4 = −3.
    const attempt = () => invertSpdInPlace(Float64Array.of(1, 2, 2, 1), 2);
    expect(attempt).toThrow(NotPositiveDefiniteError);
    expect(attempt).toThrow(/pivot -3 at row 1/);
  });
});

describe('choleskyInPlace', () => {
  it('factors G into L Lᵀ with L lower triangular', () => {
    const n = 41;
    const g = randomSpd(n, 99);
    const l = g.slice();
    choleskyInPlace(l, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += l[i * n + k]! * l[j * n + k]!;
        expect(Math.abs(s - g[i * n + j]!)).toBeLessThan(1e-10);
      }
      expect(l[i * n + i]).toBeGreaterThan(0);
    }
  });
});
