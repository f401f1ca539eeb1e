import { itemRecommender } from '../../../../worker/recommend/evaluation';
import { contentModel } from '../../../../worker/recommend/models/content-model';
import { trainingSetOf } from '../../../support/training-set';

describe('content model (product text alone)', () => {
  it('ranks the products whose text is most like the anchor’s first, and ignores orders', () => {
    const itemText = ['RED HEART T-LIGHT HOLDER', 'WHITE HEART T-LIGHT HOLDER', 'RED RETROSPOT MUG', 'PACK OF 12 PAPER NAPKINS'];
    // Orders tie item 0 to item 3 only: a co-purchase model would put 3 first; text puts 1 first.
    const training = trainingSetOf([new Map([[0, 1], [3, 1]]), new Map([[0, 1], [3, 1]])], 4, { itemText });
    const recommend = itemRecommender(contentModel.fit(training), training);
    const list = [...recommend(0, 3)];
    expect(list[0]).toBe(1);
    expect(list[1]).toBe(2); // shares "RED"
  });
});
