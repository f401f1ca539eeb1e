import { trainingSetOf } from '../../../support/training-set';
import { userRecommender, type Holdout } from '../../../../worker/recommend/evaluation';
import { discoveryVector, FOR_YOU_GRID, forYouBlend, forYouBlendWith, forYouScorer, type ForYouGrid } from '../../../../worker/recommend/placements/for-you';
import { chooseTfBackend } from '../../../../worker/recommend/tf/backend';

const DAY = 86_400;
const NOW = 1_000 * DAY;

// Four items. User 0 bought item 0 on 4 invoices (today) and item 3 once (60 days ago); user 1
// bought item 1 30 days ago; user 2 bought item 2 today. With a 3-day half-life the unit trend is
// about [1, 0.001, 1, 0]; EASE (λ 500) only links items 0 and 3, by ~0.002.
const training = trainingSetOf(
  [
    new Map([
      [0, 4],
      [3, 1],
    ]),
    new Map([[1, 1]]),
    new Map([[2, 1]]),
  ],
  4,
  { cutoff: NOW, lastPurchase: Float64Array.of(NOW, NOW - 60 * DAY, NOW - 30 * DAY, NOW) },
);

const holdout = (newTruth: number[], allTruth: number[]): Holdout => ({
  training,
  newItemQueries: newTruth.length ? [{ user: 0, truth: Int32Array.from(newTruth) }] : [],
  allItemQueries: allTruth.length ? [{ user: 0, truth: Int32Array.from(allTruth) }] : [],
  basketQueries: [],
});

const GRID: ForYouGrid = {
  historyDecay: [[10_000, 0]],
  trendingHalfLifeDays: [3],
  trending: [0, 0.5],
  ials: [0],
  repeatHalfLifeDays: [10_000],
  repeatPropensity: [0],
  buyAgain: [1, 1000],
};

const blend = forYouBlendWith({ grid: GRID });
const rankDiscount = (rank: number) => 1 / Math.log2(rank + 1);

describe('forYouBlend', () => {
  beforeAll(async () => {
    await chooseTfBackend();
  });

  it('keeps the weights that win on validation even when others would win on the test window', () => {
    // Validation: user 0 next buys the trending item 2. Under `new` (items 1, 2 left) trending 0
    // ties them at 0 and item 1 comes first (ndcg 1/log2 3); trending 0.5 puts item 2 first.
    // Under `all`, buy again 1 ranks item 0 (1.5), item 2 (0.5), item 3 (0.25): item 2 second;
    // buy again 1000 ranks item 3 (250) above item 2: third. So validation keeps buy again 1.
    const choice = blend.tune(holdout([2], [2]));
    expect(choice.weights).toEqual({ EASE: 1, iALS: 0, trending: 0.5, 'buy again': 1 });
    expect(choice.parameters).toMatchObject({ trendingHalfLifeDays: 3, repeatHalfLifeDays: 10_000, repeatPropensity: 0 });
    expect(choice.validation['next-30d-new ndcg@10']).toBeCloseTo(1, 12);
    expect(choice.validation['next-30d-all ndcg@10']).toBeCloseTo(rankDiscount(2), 12);

    // On a test window where user 0 re-orders item 3, buy again 1000 would have scored higher.
    const test = holdout([2], [3]);
    const chosen = blend.evaluate(blend.fit(training, choice), test)['next-30d-all']!.ndcg;
    const other = blend.evaluate(blend.fit(training, { ...choice, weights: { ...choice.weights, 'buy again': 1000 } }), test)['next-30d-all']!.ndcg;
    expect(chosen).toBeCloseTo(rankDiscount(3), 12);
    expect(other).toBeCloseTo(rankDiscount(2), 12);
  });

  it('serves both protocols from one scorer: the repeat weight never changes the discovery list', () => {
    const choice = blend.tune(holdout([2], [2]));
    const lists = [1, 1000].map((w) => {
      const recommend = userRecommender(blend.fit(training, { ...choice, weights: { ...choice.weights, 'buy again': w } }), training);
      return { new: [...recommend(0, { excludeBought: true, k: 4 })], all: [...recommend(0, { excludeBought: false, k: 4 })] };
    });
    expect(lists[0]!.new).toEqual([2, 1]);
    expect(lists[1]!.new).toEqual([2, 1]);
    expect(lists[0]!.all).toEqual([0, 2, 3, 1]);
    expect(lists[1]!.all).toEqual([0, 3, 2, 1]);
  });

  it('keeps the first value of every axis when validation has no users to tell them apart', () => {
    const choice = forYouBlend.tune(holdout([], []));
    const [halfLife, floor] = FOR_YOU_GRID.historyDecay[0]!;
    expect(choice.parameters).toMatchObject({ historyHalfLifeDays: halfLife, historyFloor: floor, trendingHalfLifeDays: FOR_YOU_GRID.trendingHalfLifeDays[0], repeatHalfLifeDays: FOR_YOU_GRID.repeatHalfLifeDays[0], repeatPropensity: FOR_YOU_GRID.repeatPropensity[0] });
    expect(choice.weights).toEqual({ EASE: 1, iALS: FOR_YOU_GRID.ials[0], trending: FOR_YOU_GRID.trending[0], 'buy again': FOR_YOU_GRID.buyAgain[0] });
    // And the development file's choice is what comes first, except iALS: 0 (no gain, no iALS).
    expect(choice.weights).toEqual({ EASE: 1, iALS: 0, trending: 0.35, 'buy again': 3 });
    expect(choice.parameters).toMatchObject({ ialsFactors: 64, ialsIterations: 8, ialsCgSteps: 3, ialsReg: 1, ialsAlpha: 5 });
  });

  it('fits iALS once per training set and reuses it, in tune, fit and ialsFactors alike', () => {
    const own = forYouBlendWith({ grid: { ...GRID, ials: [0, 1] } });
    const choice = own.tune(holdout([2], [2]));
    const factors = own.ialsFactors(training, choice);
    expect(factors.users).toHaveLength(3 * 64);
    expect(factors.items).toHaveLength(4 * 64);
    own.fit(training, { ...choice, weights: { ...choice.weights, iALS: 1 } });
    expect(own.ialsFactors(training, choice)).toBe(factors);
    // Another training set (even with the same rows) is another fit; other options another too.
    const copy = { ...training };
    expect(own.ialsFactors(copy, choice)).not.toBe(factors);
    expect(own.ialsFactors(copy, choice).users).toEqual(factors.users);
    expect(own.ialsFactors(training, { ...choice, parameters: { ...choice.parameters, ialsFactors: 8 } }).factors).toBe(8);
  });

  it('records iALS alone on validation when its grid has a weight above 0, and never fits it otherwise', () => {
    const withIals = forYouBlendWith({ grid: { ...GRID, trending: [0], ials: [0, 1] } }).tune(holdout([1], [1]));
    expect(Object.keys(withIals.weights).sort()).toEqual(['EASE', 'buy again', 'iALS', 'trending']);
    expect([0, 1]).toContain(withIals.weights.iALS);
    expect(withIals.validation['iALS next-30d-new ndcg@10']).toBeGreaterThanOrEqual(0);
    const without = blend.tune(holdout([1], [1]));
    expect(without.weights.iALS).toBe(0);
    expect(without.validation).not.toHaveProperty(['iALS next-30d-new ndcg@10']);
  });

  it('refuses a choice without its parameters', () => {
    const choice = blend.tune(holdout([2], [2]));
    const { historyFloor: _dropped, ...parameters } = choice.parameters;
    expect(() => blend.fit(training, { ...choice, parameters })).toThrow(/historyFloor/);
    expect(() => blend.fit(training, { ...choice, weights: { EASE: 1, trending: 0.5 } })).toThrow(/buy again/);
    expect(() => blend.fit(training, { ...choice, weights: { EASE: 1, trending: 0.5, 'buy again': 1 } })).toThrow(/iALS/);
    const { ialsAlpha: _alpha, ...noAlpha } = choice.parameters;
    expect(() => blend.fit(training, { ...choice, weights: { ...choice.weights, iALS: 1 }, parameters: noAlpha })).toThrow(/ialsAlpha/);
  });
});

describe('for_you scoring', () => {
  it('scales EASE by its best unbought item and adds trending as given', () => {
    // User 0 bought items 0 and 3. EASE [5, 2, 1, -1]: the unbought max is 2 (item 0 is bought).
    const vector = discoveryVector(training, { ease: (_u, s) => s.set([5, 2, 1, -1]), trend: Float64Array.of(0, 0.5, 1, 0) }, { ease: 2, trending: 0.4 });
    const scores = new Float64Array(4);
    vector(0, scores);
    [5 + 0, 2 + 0.2, 1 + 0.4, -1 + 0].forEach((v, i) => expect(scores[i]).toBeCloseTo(v, 14));
  });

  it('scales iALS by its best unbought item too, beside EASE', () => {
    // User 0 bought items 0 and 3. iALS [4, 1, 2, -1]: the unbought max is 2; weight 0.5 adds half of [2, 0.5, 1, -0.5].
    const ials = (_u: number, s: Float64Array) => s.set([4, 1, 2, -1]);
    const vector = discoveryVector(training, { ease: (_u, s) => s.set([5, 2, 1, -1]), ials, trend: new Float64Array(4) }, { ease: 2, trending: 0, ials: 0.5 });
    const scores = new Float64Array(4);
    vector(0, scores);
    [5 + 1, 2 + 0.25, 1 + 0.5, -1 - 0.25].forEach((v, i) => expect(scores[i]).toBeCloseTo(v, 14));
    expect(() => discoveryVector(training, { ease: () => {}, trend: new Float64Array(4) }, { ease: 1, trending: 0, ials: 0.5 })).toThrow(/iALS/);
  });

  it('adds the repeat term on bought items only, divided by the user’s largest', () => {
    // Repeat scores 4 (item 0) and 1 (item 3): with weight 2 they add 2 and 0.5.
    const scorer = forYouScorer(training, { ease: () => {}, trend: new Float64Array(4), repeat: (_u, s) => ((s[0] = 4), (s[3] = 1)) }, { ease: 1, trending: 0, buyAgain: 2 });
    const scores = new Float64Array(4);
    scorer(0, scores);
    expect([...scores]).toEqual([2, 0, 0, 0.5]);
  });
});
