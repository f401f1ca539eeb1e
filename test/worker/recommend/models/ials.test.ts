import { twoClusters } from '../../../support/training-set';
import * as tf from '@tensorflow/tfjs-core';
import { userRecommender } from '../../../../worker/recommend/evaluation';
import { fitIals, ialsModel, ialsSweepFlops } from '../../../../worker/recommend/models/ials';
import { chooseTfBackend } from '../../../../worker/recommend/tf/backend';


// Two factors: one per cluster is all the structure there is.
const options = { factors: 2, iterations: 10, reg: 1, alpha: 10, cgSteps: 3, seed: 7 };

describe('iALS (TensorFlow.js, CG solver)', () => {
  beforeAll(async () => {
    await chooseTfBackend();
  });

  it('recommends within the user’s own cluster', () => {
    const training = twoClusters();
    const recommend = userRecommender(ialsModel(options).fit(training), training);
    for (let u = 0; u < 60; u++) {
      const own = (item: number) => (u < 30 ? item < 6 : item >= 6);
      // Two unbought items of the user's own cluster remain: they must be the top two.
      const list = [...recommend(u, { excludeBought: true, k: 2 })];
      expect(list.every(own)).toBe(true);
    }
  });

  it('reports the backend it fits on', () => {
    expect(ialsModel(options).backend).toBe(tf.getBackend());
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    fitIals(twoClusters().interactions, options);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('solves in batches of rows to the same factors as in one batch, and leaves no tensors behind', () => {
    const { interactions } = twoClusters();
    const whole = fitIals(interactions, options);
    const before = tf.memory().numTensors;
    // 60 users in batches of 7 (the last one short), 12 items in batches of 7 and 5.
    const batched = fitIals(interactions, { ...options, batchRows: 7 });
    expect(tf.memory().numTensors).toBe(before);
    whole.users.forEach((x, i) => expect(batched.users[i]).toBeCloseTo(x, 5));
    whole.items.forEach((x, i) => expect(batched.items[i]).toBeCloseTo(x, 5));
    expect(() => fitIals(interactions, { ...options, batchRows: 0 })).toThrow(RangeError);
  });

  it('fits a store with no customers (empty factors) and one with a single purchase, leaving no tensors', () => {
    const before = tf.memory().numTensors;
    const empty = fitIals({ rows: 0, cols: 0, indptr: Int32Array.of(0), indices: new Int32Array(0), values: new Float32Array(0) }, options);
    expect([empty.users.length, empty.items.length]).toEqual([0, 0]);
    const single = fitIals({ rows: 1, cols: 3, indptr: Int32Array.of(0, 1), indices: Int32Array.of(0), values: Float32Array.of(1) }, options);
    expect(single.items).toHaveLength(3 * options.factors);
    expect([...single.users, ...single.items].every(Number.isFinite)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic for a fixed seed and depends on it', () => {
    const { interactions } = twoClusters();
    const a = fitIals(interactions, options);
    const b = fitIals(interactions, options);
    expect(b.users).toEqual(a.users);
    expect(b.items).toEqual(a.items);
    expect(fitIals(interactions, { ...options, seed: 8 }).users).not.toEqual(a.users);
  });

  it('solves each user’s normal equations when CG runs k steps (exact in exact arithmetic)', () => {
    // CG on a k × k SPD system converges in k steps, so the second sweep's user factors are the
    // exact weighted least-squares solution for the item factors the first sweep produced
    // (same seed, so the same first sweep): check them against a direct dense solve.
    const { interactions } = twoClusters();
    const k = 4;
    const reg = 0.5;
    const alpha = 3;
    const { users, items } = fitIals(interactions, { factors: k, iterations: 1, reg, alpha, cgSteps: k, seed: 3 });
    expect(users).toHaveLength(interactions.rows * k);
    const exact = (u: number) => {
      const a = Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => (r === c ? reg : 0)));
      const b = new Array<number>(k).fill(0);
      for (let i = 0; i < interactions.cols; i++) {
        let c = 1;
        let p = 0;
        for (let q = interactions.indptr[u]!; q < interactions.indptr[u + 1]!; q++) {
          if (interactions.indices[q] !== i) continue;
          c = 1 + alpha * interactions.values[q]!;
          p = 1;
        }
        for (let r = 0; r < k; r++) {
          b[r]! += c * p * items[i * k + r]!;
          for (let s = 0; s < k; s++) a[r]![s]! += c * items[i * k + r]! * items[i * k + s]!;
        }
      }
      // Gaussian elimination on the k × k SPD system.
      for (let col = 0; col < k; col++) {
        for (let row = col + 1; row < k; row++) {
          const f = a[row]![col]! / a[col]![col]!;
          for (let c = col; c < k; c++) a[row]![c]! -= f * a[col]![c]!;
          b[row]! -= f * b[col]!;
        }
      }
      const x = new Array<number>(k).fill(0);
      for (let row = k - 1; row >= 0; row--) {
        let sum = b[row]!;
        for (let c = row + 1; c < k; c++) sum -= a[row]![c]! * x[c]!;
        x[row] = sum / a[row]![row]!;
      }
      return x;
    };
    const next = fitIals(interactions, { factors: k, iterations: 2, reg, alpha, cgSteps: k, seed: 3 });
    // The second sweep's user step solved against `items` (the first sweep's item factors).
    for (let u = 0; u < interactions.rows; u++) {
      const x = exact(u);
      for (let f = 0; f < k; f++) expect(next.users[u * k + f]!).toBeCloseTo(x[f]!, 3);
    }
  });

  it('counts the FLOPs of a sweep from the shapes', () => {
    // Doubling the pairs adds exactly the per-pair terms: per side 2·nnz·k + (cgSteps + 1)·4·nnz·k.
    const shape = { users: 100, items: 50, pairs: 1000 };
    const extra = ialsSweepFlops({ ...shape, pairs: 2000 }, { factors: 8, cgSteps: 3 }) - ialsSweepFlops(shape, { factors: 8, cgSteps: 3 });
    expect(extra).toBe(2 * (2 * 1000 * 8 + 4 * 4 * 1000 * 8));
  });
});
