import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from '../../../../worker/recommend/evaluation';
import { invertSpdFloat32InPlace, invertSpdInPlace, NotPositiveDefiniteError, spdInverseFlops } from '../../../../worker/recommend/linalg';
import { chooseTfBackend } from '../../../../worker/recommend/tf/backend';

/**
 * A random SPD matrix shaped like EASE's: XᵀX + λI of a skewed binary users × n matrix (counts
 * on the diagonal, co-counts off it), so its conditioning is that of a real store's Gram matrix.
 */
function storeGram(n: number, seed: number, lambda: number): Float64Array {
  const random = seededRandom(seed);
  const g = new Float64Array(n * n);
  for (let u = 0; u < 6 * n; u++) {
    const items = new Set(Array.from({ length: 2 + Math.floor(10 * random()) }, () => Math.floor(n * random() ** 2)));
    for (const a of items) for (const b of items) g[a * n + b]! += 1;
  }
  for (let i = 0; i < n; i++) g[i * n + i]! += lambda;
  return g;
}

function tfInverse(g: Float64Array, n: number, leaf: number): Float32Array {
  return invertSpdFloat32InPlace(Float32Array.from(g), n, leaf);
}

/** max |a − b| / max |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let error = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    error = Math.max(error, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return error / scale;
}

describe('invertSpdFloat32InPlace (recursive block inverse, products in TensorFlow.js)', () => {
  beforeAll(async () => {
    await chooseTfBackend();
  });

  // Leaves of 8 make several levels of recursion (odd and even splits) on small matrices.
  it.each([
    [1, 8],
    [9, 8],
    [40, 8],
    [97, 8],
    [200, 16],
    [300, 512],
  ])('agrees with the Float64 Cholesky inverse to 1e-5 (relative, max entry) at order %i, leaf %i', (n, leaf) => {
    for (const [seed, lambda] of [
      [1, 1],
      [2, 50],
    ] as const) {
      const g = storeGram(n, seed * 1000 + n, lambda);
      const exact = invertSpdInPlace(g.slice(), n);
      expect(relativeError(tfInverse(g, n, leaf), exact)).toBeLessThan(1e-5);
    }
  });

  it('is symmetric to float32 rounding', () => {
    const n = 70;
    const inverse = tfInverse(storeGram(n, 3, 5), n, 8);
    let worst = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) worst = Math.max(worst, Math.abs(inverse[i * n + j]! - inverse[j * n + i]!));
    expect(worst).toBeLessThan(1e-6 * Math.max(...inverse.map(Math.abs)));
  });

  it('leaves no tensors behind, and rejects a matrix that is not positive definite', () => {
    const before = tf.memory().numTensors;
    tfInverse(storeGram(50, 4, 1), 50, 8);
    expect(tf.memory().numTensors).toBe(before);
    // [[1, 2], [2, 1]] inside a larger identity: the Schur complement at the leaf is −3.
    const g = new Float64Array(20 * 20);
    for (let i = 0; i < 20; i++) g[i * 20 + i] = 1;
    g[10 * 20 + 11] = g[11 * 20 + 10] = 2;
    expect(() => tfInverse(g, 20, 4)).toThrow(NotPositiveDefiniteError);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => invertSpdFloat32InPlace(new Float32Array(5), 2)).toThrow(RangeError);
  });

  it('counts (4/3)·n³ flops for a deep recursion, n³ for a leaf', () => {
    expect(spdInverseFlops(300, 512)).toBe(300 ** 3);
    // Splits of 4,096 down to 256: n³ per level, plus the leaves' own n³ each.
    const n = 4096;
    expect(spdInverseFlops(n, 256)).toBe(n ** 3 * (1 + 1 / 4 + 1 / 16 + 1 / 64) + 16 * 256 ** 3);
  });
});
