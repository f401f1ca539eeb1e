import { buildHoldout, evaluationWindows, FBT_ANCHOR_SEED, type TrainingSet } from '../../../../worker/recommend/evaluation';
import { itemKnnModel } from '../../../../worker/recommend/models';
import { A, B, C, D, handLog } from '../evaluation/hand-dataset';

describe('item kNN', () => {
  let training: TrainingSet;
  beforeAll(() => {
    const log = handLog();
    const windows = evaluationWindows(log);
    training = buildHoldout(log, { cutoff: windows.testStart, windowEnd: windows.end, seed: FBT_ANCHOR_SEED }).training;
  });

  // Buyers: A {u1, u3}, B {u1, u2}, C {u1, u2}, D {u3}. Cosine: A-B = A-C = 1/2, A-D = 1/√2,
  // B-C = 1, B-D = C-D = 0. u1 bought A twice, B and C once.
  const scoresOfUser1 = (neighbours: number) => {
    const scores = new Float64Array(4);
    itemKnnModel({ neighbours }).fit(training)(0, scores);
    return [...scores];
  };

  it('sums strength × similarity over every neighbour when the lists are long enough', () => {
    // A ← B, C: 1/2 + 1/2; B ← A (2 × 1/2) + C (1); C likewise; D ← A: 2/√2.
    const scores = scoresOfUser1(100);
    const expected = [1, 2, 2, Math.SQRT2];
    scores.forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 12));
  });

  it('keeps only the most similar neighbours of each candidate item', () => {
    // One neighbour each: N(A) = D, N(B) = C, N(C) = B, N(D) = A. u1 never bought D, so A scores 0.
    const scores = scoresOfUser1(1);
    expect(scores[A]).toBe(0);
    expect(scores[B]).toBeCloseTo(1, 12);
    expect(scores[C]).toBeCloseTo(1, 12);
    expect(scores[D]).toBeCloseTo(Math.SQRT2, 12);
  });
});
