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

  // Cart {0, 1} over six items. Item 0's scores put 2 far ahead, then 3, then 4; item 1's put
  // 3 first, then 4 (the rest 0: ties go to the lower index). Summed scores would rank 2 first
  // (100 + 0); the published lists vote by rank: 3 gets 1/2 + 1 = 1.5, 2 gets 1 + 1/4 = 1.25.
  const rows: Record<number, number[]> = {
    0: [0, 0, 100, 2, 1, 0],
    1: [0, 0, 0, 5, 4, 0],
  };
  const scorer = (anchor: number, scores: Float64Array) => rows[anchor]!.forEach((s, j) => (scores[j]! += s));
  const training = trainingSetOf([new Map([[0, 1]])], 6);
  const query = [{ cart: Int32Array.of(0, 1), truth: Int32Array.of(3) }];

  it('ranks what the storefront serves: rank votes of each cart item’s published list, not summed scores', () => {
    const metrics = scoreCartQueries(scorer, training, query, 1);
    expect(metrics).toMatchObject({ queries: 1, ndcg: 1, hit: 1, precision: 1, recall: 1 });
  });

  it('merges only as much of each list as is published', () => {
    // One item per list: 2 (from item 0) and 3 (from item 1) tie at one vote; the first cart
    // item's list goes first, so 3 is second: ndcg 1/log2(3) at K = 2, a miss at K = 1.
    expect(scoreCartQueries(scorer, training, query, 2, 1).ndcg).toBeCloseTo(1 / Math.log2(3), 12);
    expect(scoreCartQueries(scorer, training, query, 1, 1).hit).toBe(0);
    expect(scoreCartQueries(scorer, training, query, 1, 2).hit).toBe(1);
  });
});
