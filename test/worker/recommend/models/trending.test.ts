import { trainingSetOf } from '../../../support/training-set';
import { decayedBuyers, trendingModel } from '../../../../worker/recommend/models/trending';
import { trendingScores } from '../../../../worker/recommend/placements/trending';
import { distinctBuyers } from '../../../../worker/recommend/models/popularity';

const DAY = 86_400;
const NOW = 1_000 * DAY;

// Item 0: three buyers, all 60 days ago (last season's bestseller). Item 1: one buyer today.
// Item 2: two buyers, 7 and 14 days ago. Users' lastPurchase is aligned with their sorted items.
const training = trainingSetOf(
  [
    new Map([
      [0, 2],
      [2, 1],
    ]),
    new Map([[0, 1]]),
    new Map([
      [0, 1],
      [1, 1],
      [2, 3],
    ]),
  ],
  3,
  { cutoff: NOW, lastPurchase: Float64Array.of(NOW - 60 * DAY, NOW - 7 * DAY, NOW - 60 * DAY, NOW - 60 * DAY, NOW, NOW - 14 * DAY) },
);

describe('decayedBuyers (trending)', () => {
  it('counts each buyer 2^(−age / half-life)', () => {
    const scores = decayedBuyers(training, 7);
    expect(scores[0]).toBeCloseTo(3 * 2 ** (-60 / 7), 14);
    expect(scores[1]).toBeCloseTo(1, 14);
    expect(scores[2]).toBeCloseTo(0.5 + 0.25, 14);
  });

  it('puts recent sellers above last season’s bestseller, which an infinite half-life keeps first', () => {
    const recent = decayedBuyers(training, 7);
    expect(recent[1]! > recent[2]! && recent[2]! > recent[0]!).toBe(true);
    expect([...decayedBuyers(training, Infinity)]).toEqual([...distinctBuyers(training)]);
  });

  it('is the trending fallback list and the trending model’s scores for every user', () => {
    expect([...trendingScores(training)]).toEqual([...decayedBuyers(training, 7)]);
    const scores = new Float64Array(3);
    trendingModel({ halfLifeDays: 7 }).fit(training)(1, scores);
    expect([...scores]).toEqual([...decayedBuyers(training, 7)]);
  });
});
