import { recencyWeight } from '../../../../worker/recommend/models/recency';

const DAY = 86_400;

describe('recencyWeight', () => {
  it('halves every half-life, above the floor', () => {
    expect(recencyWeight(0, 30)).toBe(1);
    expect(recencyWeight(30 * DAY, 30)).toBeCloseTo(0.5, 14);
    expect(recencyWeight(60 * DAY, 30)).toBeCloseTo(0.25, 14);
    // floor 0.2: 0.2 + 0.8 × 1/2 at one half-life.
    expect(recencyWeight(30 * DAY, 30, 0.2)).toBeCloseTo(0.6, 14);
  });

  it('counts everything 1 with an infinite half-life, and a future purchase as new', () => {
    expect(recencyWeight(1e9, Infinity, 0.3)).toBe(1);
    expect(recencyWeight(-5 * DAY, 10)).toBe(1);
  });

  it('refuses a half-life that is not positive', () => {
    expect(() => recencyWeight(0, 0)).toThrow(RangeError);
    expect(() => recencyWeight(0, Number.NaN)).toThrow(RangeError);
  });
});
