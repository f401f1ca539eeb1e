import { trainingSetOf } from '../../../support/training-set';
import { recencyBuyAgain, repeatRates } from '../../../../worker/recommend/models/recency-buy-again';

const DAY = 86_400;
const NOW = 500 * DAY;

// User 0: item 0 on 4 invoices, last 30 days ago; item 1 once, today. User 1: item 0 once, item 2 twice.
const training = trainingSetOf(
  [
    new Map([
      [0, 4],
      [1, 1],
    ]),
    new Map([
      [0, 1],
      [2, 2],
    ]),
  ],
  3,
  { cutoff: NOW, lastPurchase: Float64Array.of(NOW - 30 * DAY, NOW, NOW, NOW) },
);

const scoresOf = (options: Parameters<typeof recencyBuyAgain>[1], user = 0) => {
  const scores = new Float64Array(3).fill(-7);
  recencyBuyAgain(training, options)(user, scores);
  return [...scores];
};

describe('recencyBuyAgain', () => {
  it('is frequency without decay and writes only the user’s items', () => {
    expect(scoresOf({ halfLifeDays: Infinity, floor: 0 })).toEqual([4, 1, -7]);
  });

  it('weights frequency by recency: a 4-times item last bought a half-life ago counts 2', () => {
    const scores = scoresOf({ halfLifeDays: 30, floor: 0 });
    expect(scores[0]).toBeCloseTo(2, 14);
    expect(scores[1]).toBe(1);
    // Floor 0.5: 4 × (0.5 + 0.5 × 1/2) = 3.
    expect(scoresOf({ halfLifeDays: 30, floor: 0.5 })[0]).toBeCloseTo(3, 14);
    // Power 1/2: √4 = 2 before decay.
    expect(scoresOf({ halfLifeDays: Infinity, floor: 0, power: 0.5 })[0]).toBeCloseTo(2, 14);
  });

  it('multiplies by the item’s smoothed repeat rate^propensity', () => {
    // Item 0: 2 buyers, 1 repeater → 2/4; item 1: 1 buyer, none → 1/3; item 2: 1 buyer who repeated → 2/3.
    expect([...repeatRates(training)].map((r) => r.toFixed(6))).toEqual([(1 / 2).toFixed(6), (1 / 3).toFixed(6), (2 / 3).toFixed(6)]);
    const scores = scoresOf({ halfLifeDays: Infinity, floor: 0, propensity: 1 }, 1);
    expect(scores[0]).toBeCloseTo(1 / 2, 14);
    expect(scores[2]).toBeCloseTo(4 / 3, 14);
  });
});
