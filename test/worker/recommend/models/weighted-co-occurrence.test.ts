import { sparseFromRows } from '../../../../worker/recommend/evaluation';
import { itemGram } from '../../../../worker/recommend/models/item-gram';
import { basketWeights, weightedCoOccurrence, type CoOccurrence } from '../../../../worker/recommend/models/weighted-co-occurrence';
import { trainingSetOf } from '../../../support/training-set';

const DAY = 86_400;
const CUTOFF = 1_000 * DAY;

// Baskets {0, 1} today, {0, 1, 2} ten days ago, {1, 2, 3, 4} twenty days ago.
const basketItems = [
  [0, 1],
  [0, 1, 2],
  [1, 2, 3, 4],
];
function training() {
  const baskets = sparseFromRows(
    basketItems.map((items) => new Map(items.map((i) => [i, 1]))),
    5,
  );
  return trainingSetOf([new Map([[0, 1]])], 5, { baskets, cutoff: CUTOFF, basketTime: Float64Array.of(CUTOFF, CUTOFF - 10 * DAY, CUTOFF - 20 * DAY) });
}

function pair(co: CoOccurrence, i: number, j: number): number {
  const { indptr, indices } = co.pairs;
  for (let p = indptr[i]!; p < indptr[i + 1]!; p++) if (indices[p] === j) return co.values[p]!;
  return 0;
}

describe('weighted co-occurrence', () => {
  it('counts the baskets holding both items when every basket weighs 1', () => {
    const co = weightedCoOccurrence(training());
    expect(pair(co, 0, 1)).toBe(2);
    expect(pair(co, 1, 2)).toBe(2);
    expect(pair(co, 3, 4)).toBe(1);
    expect(pair(co, 0, 3)).toBe(0);
    expect(pair(co, 1, 1)).toBe(0);
    expect([...co.support]).toEqual([2, 3, 2, 1, 1]);
    expect([...co.pairs.baskets]).toEqual([2, 3, 2, 1, 1]);
  });

  it('halves a basket every half-life of age before the cutoff', () => {
    // Weights 1, 1/2, 1/4.
    expect([...basketWeights(training(), { halfLifeDays: 10 })].map((w) => +w.toFixed(12))).toEqual([1, 0.5, 0.25]);
    const co = weightedCoOccurrence(training(), { halfLifeDays: 10 });
    expect(pair(co, 0, 1)).toBeCloseTo(1.5, 6);
    expect(pair(co, 1, 2)).toBeCloseTo(0.75, 6);
    expect(co.support[1]).toBeCloseTo(1.75, 12);
  });

  it('weighs a basket of n items by 1/(n − 1)^sizeExponent', () => {
    // Weights 1, 1/2, 1/3.
    const co = weightedCoOccurrence(training(), { sizeExponent: 1 });
    expect(pair(co, 0, 1)).toBeCloseTo(1.5, 6);
    expect(pair(co, 1, 2)).toBeCloseTo(1 / 2 + 1 / 3, 6);
    expect(pair(co, 3, 4)).toBeCloseTo(1 / 3, 6);
  });

  it('agrees with the dense Gram matrix on random baskets', () => {
    let seed = 3;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const n = 30;
    const rows = Array.from({ length: 200 }, () => {
      const row = new Map<number, number>();
      const size = 1 + Math.floor(random() * 8);
      while (row.size < size) row.set(Math.floor(random() * n), 1);
      return row;
    });
    const baskets = sparseFromRows(rows, n);
    const set = trainingSetOf(rows, n, { baskets });
    const co = weightedCoOccurrence(set);
    const gram = itemGram(baskets, { binary: true });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) expect(i === j ? co.support[i] : pair(co, i, j)).toBe(gram[i * n + j]);
    }
  });
});

describe('weighted co-occurrence, basket cap', () => {
  it('leaves out baskets with more items than the cap, everywhere', () => {
    const co = weightedCoOccurrence(training(), {}, { maxBasketItems: 3 });
    // {1, 2, 3, 4} is left out: 3 and 4 have no pairs, 1-2 is only in {0, 1, 2}.
    expect(pair(co, 1, 2)).toBe(1);
    expect(pair(co, 3, 4)).toBe(0);
    expect([...co.support]).toEqual([2, 2, 1, 0, 0]);
    expect([...co.pairs.baskets]).toEqual([2, 2, 1, 0, 0]);
  });
});
