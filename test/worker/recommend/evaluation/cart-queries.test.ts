import type { Holdout } from '../../../../worker/recommend/evaluation';
import { cartQueries, scoreCartQueries } from '../../../../worker/recommend/evaluation/cart-queries';
import { trainingSetOf } from '../../../support/training-set';

// Three window baskets as `fbt-30d` queries (anchor + truth): {0, 1} has two items and no cart
// query; {1, 2, 3} and {4, 0, 2, 3} have one each.
function holdoutOf(): Holdout {
  return {
    training: trainingSetOf([new Map([[0, 1]])], 5),
    newItemQueries: [],
    allItemQueries: [],
    basketQueries: [
      { anchor: 0, truth: Int32Array.of(1) },
      { anchor: 1, truth: Int32Array.of(2, 3) },
      { anchor: 4, truth: Int32Array.of(0, 2, 3) },
    ],
  };
}

describe('cart-30d queries', () => {
  it('takes two items of each basket of three or more as the cart and the rest as truth', () => {
    const queries = cartQueries(holdoutOf());
    expect(queries).toHaveLength(2);
    const baskets = [
      [1, 2, 3],
      [0, 2, 3, 4],
    ];
    queries.forEach(({ cart, truth }, q) => {
      expect(cart).toHaveLength(2);
      expect(cart[0]).not.toBe(cart[1]);
      expect(truth).toHaveLength(baskets[q]!.length - 2);
      expect([...cart, ...truth].sort((a, b) => a - b)).toEqual(baskets[q]);
    });
  });

  it('draws the same carts for the same seed', () => {
    expect(cartQueries(holdoutOf(), 7)).toEqual(cartQueries(holdoutOf(), 7));
  });

  it('sums the scores of the cart items, each from a zeroed buffer, and never recommends the cart', () => {
    // Rows of the anchors' scores. Alone, 1 puts 0 first and 2 puts 4 first; summed, 3 leads
    // (0: 5, 3: 6, 4: 5). Both rows score the other cart item highest: it must not be listed.
    const rows: Record<number, number[]> = {
      1: [5, 0, 10, 3, 1],
      2: [0, 10, 0, 3, 4],
    };
    const scorer = (anchor: number, scores: Float64Array) => rows[anchor]!.forEach((s, j) => (scores[j]! += s));
    const training = trainingSetOf([new Map([[0, 1]])], 5);
    const metrics = scoreCartQueries(scorer, training, [{ cart: Int32Array.of(1, 2), truth: Int32Array.of(3) }], 2);
    // One truth item at rank 1 of 2: ndcg 1, precision 1/2; listed: 3 then 0 (ties 0 = 4 = 5 go to the lower index).
    expect(metrics).toMatchObject({ queries: 1, ndcg: 1, hit: 1, precision: 0.5, recall: 1 });
    expect(metrics.coverage).toBeCloseTo(2 / 5, 12);
  });

  it('ranks by the summed scores: a truth item second scores 1/log2(3)', () => {
    const rows: Record<number, number[]> = { 0: [0, 0, 1, 2, 0], 1: [0, 0, 1, 0, 0] };
    const scorer = (anchor: number, scores: Float64Array) => rows[anchor]!.forEach((s, j) => (scores[j]! += s));
    const training = trainingSetOf([new Map([[0, 1]])], 5);
    // Summed: 2 → 2, 3 → 2, 4 → 0: item 2 first by the lower index, item 3 second.
    const metrics = scoreCartQueries(scorer, training, [{ cart: Int32Array.of(0, 1), truth: Int32Array.of(3) }]);
    expect(metrics.ndcg).toBeCloseTo(1 / Math.log2(3), 12);
  });
});
