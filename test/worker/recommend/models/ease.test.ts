import * as tf from '@tensorflow/tfjs-core';
import { trainingSetOf } from '../../../support/training-set';
import { seededRandom, userRecommender, type TrainingSet } from '../../../../worker/recommend/evaluation';
import { easeModel, easeVocabulary, easeWeights, easeWeightsTf } from '../../../../worker/recommend/models/ease';
import { itemGram } from '../../../../worker/recommend/models/item-gram';
import { chooseTfBackend } from '../../../../worker/recommend/tf/backend';

/** A training set from per-user maps item → strength; only `interactions` matters to EASE. */
function trainingOf(users: ReadonlyArray<Record<number, number>>, items: number): TrainingSet {
  const rows = users.map((u) => new Map(Object.entries(u).map(([i, v]) => [Number(i), v])));
  return trainingSetOf(rows, items);
}

const scoresOf = (model: ReturnType<typeof easeModel>, training: TrainingSet, user: number) => {
  const scores = new Float64Array(training.interactions.cols);
  model.fit(training)(user, scores);
  return [...scores];
};

describe('EASE^R', () => {
  beforeAll(async () => {
    await chooseTfBackend();
  });

  it('matches B derived by hand when all three items are coupled', () => {
    // Buyers {0,1}, {1,2}, {0,2}: XᵀX has 2 on the diagonal and 1 elsewhere; with λ = 1,
    // G + λI = 2I + J, whose inverse is (I − J/5) / 2: P[i][i] = 2/5, P[i][j] = −1/10, so
    // B[i][j] = −P[i][j] / P[j][j] = 1/4 (a pair-by-pair regression would give 1/3).
    const training = trainingOf([{ 0: 1, 1: 1 }, { 1: 1, 2: 1 }, { 0: 1, 2: 1 }], 3);
    const weights = easeWeights(itemGram(training.interactions, { binary: true }), 3, 1);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(weights[i * 3 + j]).toBeCloseTo(i === j ? 0 : 1 / 4, 14);
    // User 0 bought 0 and 1: item 2 gets B[0][2] + B[1][2], each bought item the other's weight.
    const scores = scoresOf(easeModel({ lambda: 1, solver: 'float64' }), training, 0);
    [1 / 4, 1 / 4, 1 / 2].forEach((v, j) => expect(scores[j]).toBeCloseTo(v, 14));
  });

  it('fits and scores with purchase counts under `strength`, with 0/1 under `binary`', () => {
    // Two items: B[0][1] = G[0][1] / (G[0][0] + λ). With λ = 2: strength G = [[5, 2], [2, 1]]
    // gives 2/7; binary G = [[2, 1], [1, 1]] gives 1/4. User 1 bought item 0 once.
    const training = trainingOf([{ 0: 2, 1: 1 }, { 0: 1 }], 2);
    expect(scoresOf(easeModel({ lambda: 2, weighting: 'strength', solver: 'float64' }), training, 1)[1]).toBeCloseTo(2 / 7, 14);
    expect(scoresOf(easeModel({ lambda: 2, weighting: 'binary', solver: 'float64' }), training, 1)[1]).toBeCloseTo(1 / 4, 14);
    // The float32 solver: same values to float32 rounding.
    expect(scoresOf(easeModel({ lambda: 2, weighting: 'strength' }), training, 1)[1]).toBeCloseTo(2 / 7, 6);
    expect(scoresOf(easeModel({ lambda: 2, weighting: 'binary' }), training, 1)[1]).toBeCloseTo(1 / 4, 6);
  });

  describe('on a random store', () => {
    const items = 57;
    const random = seededRandom(5);
    const users = Array.from({ length: 400 }, () => {
      const bought: Record<number, number> = {};
      // Skewed popularity, as in a real store: low item indices sell more.
      for (let t = 0; t < 6; t++) bought[Math.floor(items * random() ** 2)] = 1 + Math.floor(3 * random());
      return bought;
    });
    const training = trainingOf(users, items);

    it('satisfies the optimality condition ((XᵀX + λI)(I − B))[i][j] = 0 off the diagonal', () => {
      const lambda = 3;
      const gram = itemGram(training.interactions, { binary: true });
      const weights = easeWeights(gram.slice(), items, lambda);
      for (let i = 0; i < items; i++) {
        for (let j = 0; j < items; j++) {
          if (i === j) continue;
          let s = 0;
          for (let k = 0; k < items; k++) s += (gram[i * items + k]! + (i === k ? lambda : 0)) * ((k === j ? 1 : 0) - weights[k * items + j]!);
          expect(Math.abs(s)).toBeLessThan(1e-9);
        }
      }
    });

    it('is deterministic: two fits give bit-identical scores, with either solver', () => {
      for (const solver of ['tfjs', 'float64'] as const) {
        const model = easeModel({ lambda: 10, weighting: 'strength', solver });
        for (const user of [0, 17, 399]) expect(scoresOf(model, training, user)).toEqual(scoresOf(model, training, user));
      }
    });

    it('gets the same weights from the float32 TensorFlow.js inverse as from Float64, to 1e-5 of the largest', () => {
      for (const lambda of [1, 30]) {
        const gram = itemGram(training.interactions, { binary: true });
        const exact = easeWeights(gram.slice(), items, lambda);
        const fast = easeWeightsTf(Float32Array.from(gram), items, lambda);
        const scale = Math.max(...exact.map(Math.abs));
        for (let i = 0; i < exact.length; i++) expect(Math.abs(fast[i]! - exact[i]!)).toBeLessThan(1e-5 * scale);
      }
    });

    it('ranks every user’s top 10 the same with either solver (ties aside)', () => {
      const lists = (solver: 'tfjs' | 'float64') => {
        const recommend = userRecommender(easeModel({ lambda: 3, solver }).fit(training), training);
        return users.map((_, u) => [...recommend(u, { excludeBought: true, k: 10 })]);
      };
      const fast = lists('tfjs');
      const exact = lists('float64');
      const same = fast.filter((list, u) => list.join() === exact[u]!.join()).length;
      // Float32 rounding may swap two items whose scores tie to ~1e-7; nothing more.
      expect(same).toBeGreaterThanOrEqual(users.length - 4);
    });

    it('leaves no tensors behind', () => {
      const before = tf.memory().numTensors;
      easeModel({ lambda: 3 }).fit(training);
      easeWeightsTf(Float32Array.from(itemGram(training.interactions, { binary: true })), items, 3);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('caps the vocabulary at the most-bought items; the others score 0 and the kept ones as if fitted alone', () => {
      const cap = 20;
      const vocabulary = easeVocabulary(training.interactions, cap);
      expect(vocabulary).toHaveLength(cap);
      const buyers = new Array<number>(items).fill(0);
      for (const i of training.interactions.indices) buyers[i]!++;
      const kept = new Set(vocabulary);
      const least = Math.min(...[...kept].map((i) => buyers[i]!));
      // Nothing left out was bought by more customers than the least-bought item kept.
      for (let i = 0; i < items; i++) if (!kept.has(i)) expect(buyers[i]).toBeLessThanOrEqual(least);
      // The capped model equals EASE fitted on the matrix with the other columns removed.
      const restricted = trainingOf(
        users.map((u) => Object.fromEntries(Object.entries(u).filter(([i]) => kept.has(Number(i))).map(([i, v]) => [vocabulary.indexOf(Number(i)), v]))),
        cap,
      );
      const capped = easeModel({ lambda: 3, maxItems: cap, solver: 'float64' });
      const alone = easeModel({ lambda: 3, solver: 'float64' });
      for (const user of [0, 5, 123]) {
        const scores = scoresOf(capped, training, user);
        const reference = scoresOf(alone, restricted, user);
        for (let i = 0; i < items; i++) {
          const slot = vocabulary.indexOf(i);
          if (slot < 0) expect(scores[i]).toBe(0);
          else expect(scores[i]).toBeCloseTo(reference[slot]!, 12);
        }
      }
    });
  });

  it('rejects a non-positive lambda or cap', () => {
    expect(() => easeModel({ lambda: 0 })).toThrow(RangeError);
    expect(() => easeModel({ maxItems: 0 })).toThrow(RangeError);
  });

  it('reports the backend its solver runs on', () => {
    expect(easeModel().backend).toBe(tf.getBackend());
    expect(easeModel({ solver: 'float64' }).backend).toBe('none');
  });
});
