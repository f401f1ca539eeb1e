import { trainingSetOf } from '../../support/training-set';
import { type Holdout, type UserModel } from '../../../worker/recommend/evaluation';
import { tuneOnValidation } from '../../../worker/recommend/tune-on-validation';

// Three items; the one user bought item 0 in training and item 2 in the validation window.
const validation: Holdout = {
  training: trainingSetOf([new Map([[0, 1]])], 3),
  newItemQueries: [{ user: 0, truth: Int32Array.of(2) }],
  allItemQueries: [{ user: 0, truth: Int32Array.of(2) }],
  basketQueries: [],
};

/** Scores items by fixed weights: the only thing that differs between candidates. */
const fixedScores = (weights: number[]): UserModel => ({ name: 'fixed', fit: () => (_user, scores) => scores.set(weights) });

describe('tuneOnValidation', () => {
  it('keeps the candidate with the best next-30d-new ndcg@10 on validation and reports the grid', () => {
    // With K = 10 every item is listed whatever the order, so rank the truth first or last: only
    // the candidate putting item 2 above item 1 gets ndcg 1.
    const { models, tuning } = tuneOnValidation(validation, [
      {
        name: 'fixed',
        candidates: [
          { label: 'item 1 first', model: fixedScores([0, 2, 1]) },
          { label: 'item 2 first', model: fixedScores([0, 1, 2]) },
        ],
      },
    ]);
    expect(tuning).toEqual([{ model: 'fixed', chosen: 'item 2 first', validationNdcg: { 'item 1 first': expect.any(Number), 'item 2 first': 1 } }]);
    expect(tuning[0]!.validationNdcg['item 1 first']).toBeCloseTo(1 / Math.log2(3), 12);
    const scores = new Float64Array(3);
    models[0]!.fit(validation.training)(0, scores);
    expect([...scores]).toEqual([0, 1, 2]);
  });

  it('keeps the earlier candidate on a tie', () => {
    const { tuning } = tuneOnValidation(validation, [
      {
        name: 'fixed',
        candidates: [
          { label: 'first', model: fixedScores([0, 1, 2]) },
          { label: 'second', model: fixedScores([5, 1, 2]) },
        ],
      },
    ]);
    expect(tuning[0]!.chosen).toBe('first');
  });
});
