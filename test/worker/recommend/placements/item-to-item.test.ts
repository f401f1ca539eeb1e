import type { Holdout } from '../../../../worker/recommend/evaluation';
import { sparseFromRows } from '../../../../worker/recommend/evaluation';
import { cartBlend, productBlend } from '../../../../worker/recommend/placements/item-to-item';
import { trainingSetOf } from '../../../support/training-set';

// Teapot (0) sells with tea towel (1) and cup (6), rake (3) with gloves (4); the lid (2) reads
// like the teapot and the hoe (5) like the rake but neither shares a basket with them.
const TEAPOT = 0, TOWEL = 1, LID = 2, RAKE = 3, GLOVES = 4, HOE = 5, CUP = 6;
const ITEMS = 7;
function training() {
  const basket = (...items: number[]) => new Map(items.map((i) => [i, 1]));
  const baskets = [basket(TEAPOT, TOWEL, CUP), basket(TEAPOT, TOWEL, CUP), basket(TEAPOT, TOWEL), basket(RAKE, GLOVES), basket(RAKE, GLOVES), basket(LID), basket(HOE)];
  const itemText = ['enamel teapot', 'tea towel', 'enamel teapot lid', 'garden rake', 'leather gloves', 'garden rake hoe', 'china cup'];
  return trainingSetOf(baskets, ITEMS, { baskets: sparseFromRows(baskets, ITEMS), itemText });
}

/** A holdout whose window baskets pair each anchor with `partners`. */
function holdoutWith(pairs: [anchor: number, truth: number[]][]): Holdout {
  return { training: training(), newItemQueries: [], allItemQueries: [], basketQueries: pairs.map(([anchor, truth]) => ({ anchor, truth: Int32Array.from(truth) })) };
}

// Next month's baskets as text would predict them (teapot with lid, rake with hoe), or as
// co-purchase would (teapot with towel, rake with gloves).
const textWindow = () =>
  holdoutWith([
    [TEAPOT, [LID]],
    [RAKE, [HOE]],
  ]);
const basketWindow = () =>
  holdoutWith([
    [TEAPOT, [TOWEL]],
    [RAKE, [GLOVES]],
  ]);

describe('item-to-item blends', () => {
  it('follow the validation window they are tuned on', () => {
    const text = productBlend.tune(textWindow());
    const baskets = productBlend.tune(basketWindow());
    // Only a text weight ≥ 2 lifts the lid (cosine < 1, shrunk by 50/53) above the normalised towel.
    expect(text.weights.content).toBe(2);
    expect(text.validation['fbt-30d']).toBe(1);
    expect(baskets.weights.content).toBeLessThan(1);
    expect(baskets.validation['fbt-30d']).toBe(1);
  });

  it('score a test window with the choice made elsewhere, not a new one', () => {
    const choice = productBlend.tune(basketWindow());
    const test = textWindow();
    const scorer = productBlend.fit(test.training, JSON.parse(JSON.stringify(choice)));
    // The basket-tuned choice (text weight 0.5) ranks the teapot's co-purchases towel (1) and
    // cup (2/3) above the lid (0.5 · 50/53 · cosine 0.76), and the rake's gloves above the hoe:
    // ranks 3 and 2.
    expect(choice.weights.content).toBe(0.5);
    expect(productBlend.evaluate(scorer, test)['fbt-30d']!.ndcg).toBeCloseTo((1 / Math.log2(4) + 1 / Math.log2(3)) / 2, 12);
  });

  it('judge the cart on cart-30d: teapot and cup in the cart, the towel to find', () => {
    const holdout = holdoutWith([[TEAPOT, [CUP, TOWEL]]]);
    const choice = cartBlend.tune(holdout);
    expect(Object.keys(choice.validation)).toEqual(['cart-30d']);
    const metrics = cartBlend.evaluate(cartBlend.fit(holdout.training, choice), holdout)['cart-30d']!;
    expect(metrics.queries).toBe(1);
    expect(metrics.ndcg).toBe(choice.validation['cart-30d']);
  });

  it('reject a choice without its parameters', () => {
    expect(() => productBlend.fit(training(), { weights: { 'co-occurrence': 1, content: 1 }, parameters: {}, validation: {} })).toThrow(/sizeExponent/);
  });
});
