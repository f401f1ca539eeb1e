import { twoClusters } from '../../../support/training-set';
import * as tf from '@tensorflow/tfjs-core';
import { userRecommender } from '../../../../worker/recommend/evaluation';
import { BPR_GRID, bprEpochFlops, bprModel, fitBpr, tunableBpr } from '../../../../worker/recommend/models/bpr';
import { chooseTfBackend } from '../../../../worker/recommend/tf/backend';


// Two factors, one per cluster, as in the iALS test (with 4 and little regularisation BPR fits
// each user's own four items and ranks a couple of other-cluster items above their cluster's
// remaining two). 240 pairs in batches of 32: eight SGD steps an epoch.
const options = { factors: 2, epochs: 60, learningRate: 0.1, reg: 0.05, batchSize: 32, seed: 7 };

describe('BPR-MF (TensorFlow.js, mini-batch SGD)', () => {
  beforeAll(async () => {
    await chooseTfBackend();
  });

  it('recommends within the user’s own cluster', () => {
    const training = twoClusters();
    const recommend = userRecommender(bprModel(options).fit(training), training);
    for (let u = 0; u < 60; u++) {
      const own = (item: number) => (u < 30 ? item < 6 : item >= 6);
      // Two unbought items of the user's own cluster remain: they must be the top two.
      const list = [...recommend(u, { excludeBought: true, k: 2 })];
      expect(list.every(own)).toBe(true);
    }
  });

  it('raises the mean ln σ(x) of the sampled triples', () => {
    const logLikelihood: number[] = [];
    fitBpr(twoClusters().interactions, options, (_, ll) => logLikelihood.push(ll));
    expect(logLikelihood).toHaveLength(options.epochs);
    expect(logLikelihood[options.epochs - 1]!).toBeGreaterThan(logLikelihood[0]! + 0.2);
  });

  it('reports the backend it fits on', () => {
    expect(bprModel(options).backend).toBe(tf.getBackend());
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    fitBpr(twoClusters().interactions, options);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic for a fixed seed and depends on it', () => {
    const { interactions } = twoClusters();
    const a = fitBpr(interactions, options);
    const b = fitBpr(interactions, options);
    expect(b.users).toEqual(a.users);
    expect(b.items).toEqual(a.items);
    expect(b.bias).toEqual(a.bias);
    expect(fitBpr(interactions, { ...options, seed: 8 }).users).not.toEqual(a.users);
  });

  it('fits a store with no customers, one with a single purchase and one whose customer bought everything, leaving no tensors', () => {
    const before = tf.memory().numTensors;
    const empty = fitBpr({ rows: 0, cols: 0, indptr: Int32Array.of(0), indices: new Int32Array(0), values: new Float32Array(0) }, options);
    expect([empty.users.length, empty.items.length, empty.bias.length]).toEqual([0, 0, 0]);
    const single = fitBpr({ rows: 1, cols: 3, indptr: Int32Array.of(0, 1), indices: Int32Array.of(0), values: Float32Array.of(1) }, options);
    expect(single.items).toHaveLength(3 * options.factors);
    expect([...single.users, ...single.items, ...single.bias].every(Number.isFinite)).toBe(true);
    // No item left to draw as the negative: nothing to learn, and no endless rejection loop.
    const all = fitBpr({ rows: 1, cols: 2, indptr: Int32Array.of(0, 2), indices: Int32Array.of(0, 1), values: Float32Array.of(1, 1) }, options);
    expect(all.bias).toEqual(Float32Array.of(0, 0));
    expect(tf.memory().numTensors).toBe(before);
    expect(() => fitBpr(twoClusters().interactions, { ...options, batchSize: 0 })).toThrow(RangeError);
  });

  it('offers one candidate per grid point and counts an epoch’s FLOPs from the shapes', () => {
    expect(tunableBpr().candidates).toHaveLength(BPR_GRID.length);
    expect(bprEpochFlops({ pairs: 1000 }, { factors: 8 })).toBe(1000 * (18 * 8 + 20));
  });
});
