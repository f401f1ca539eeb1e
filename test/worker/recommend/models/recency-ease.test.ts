import { trainingSetOf } from '../../../support/training-set';
import { fitRecencyEase } from '../../../../worker/recommend/models/recency-ease';
import { chooseTfBackend } from '../../../../worker/recommend/tf/backend';

const DAY = 86_400;
const NOW = 100 * DAY;

// Buyers {0,1}, {1,2}, {0,2}: with λ = 1, B has 0 on the diagonal and 1/4 elsewhere (see
// ease.test.ts). User 0 bought item 0 today and item 1 thirty days ago.
const training = trainingSetOf(
  [
    new Map([
      [0, 1],
      [1, 1],
    ]),
    new Map([
      [1, 1],
      [2, 1],
    ]),
    new Map([
      [0, 1],
      [2, 1],
    ]),
  ],
  3,
  { cutoff: NOW, lastPurchase: Float64Array.of(NOW, NOW - 30 * DAY, NOW, NOW, NOW, NOW) },
);

const scoresOf = (ease: ReturnType<typeof fitRecencyEase>, halfLifeDays: number, floor: number) => {
  const scores = new Float64Array(3);
  ease.score(0, scores, { halfLifeDays, floor });
  return [...scores];
};

describe('fitRecencyEase', () => {
  beforeAll(async () => {
    await chooseTfBackend();
  });

  it('weights each history row of B by the recency of the purchase', () => {
    for (const solver of ['float64', 'tfjs'] as const) {
      const ease = fitRecencyEase(training, { lambda: 1, solver });
      // Undecayed: item 2 gets B[0][2] + B[1][2] = 1/2, items 0 and 1 each other's 1/4.
      [1 / 4, 1 / 4, 1 / 2].forEach((v, j) => expect(scoresOf(ease, Infinity, 0)[j]).toBeCloseTo(v, 6));
      // Half-life 30 days: item 1 counts 1/2, so item 0 gets 1/8, item 2 gets 1/4 + 1/8.
      [1 / 8, 1 / 4, 3 / 8].forEach((v, j) => expect(scoresOf(ease, 30, 0)[j]).toBeCloseTo(v, 6));
      // Floor 0.5: item 1 counts 0.75.
      expect(scoresOf(ease, 30, 0.5)[0]).toBeCloseTo(0.75 / 4, 6);
    }
  });

  it('covers only the most-bought items when capped: the others neither score nor feed a score', () => {
    // Buyers: item 0 → 2, item 1 → 2, item 2 → 2 here; add a fourth item bought once by user 1.
    const wider = trainingSetOf(
      [
        new Map([
          [0, 1],
          [1, 1],
        ]),
        new Map([
          [1, 1],
          [2, 1],
          [3, 1],
        ]),
        new Map([
          [0, 1],
          [2, 1],
        ]),
      ],
      4,
    );
    const ease = fitRecencyEase(wider, { lambda: 1, maxItems: 3, solver: 'float64' });
    expect([...ease.items]).toEqual([0, 1, 2]);
    const scores = new Float64Array(4);
    ease.score(1, scores, { halfLifeDays: Infinity, floor: 0 });
    // Same B as above on items 0–2: user 1's items 1 and 2 give item 0 1/4 + 1/4; item 3 scores 0.
    expect(scores[0]).toBeCloseTo(1 / 2, 12);
    expect(scores[3]).toBe(0);
  });
});
