import { sparseFromRows } from '../../../../worker/recommend/evaluation';
import { coldProductLists } from '../../../../worker/recommend/placements/cold-start';
import { trainingSetOf } from '../../../support/training-set';

// Catalog 10000..10003; 10003 is in the most baskets, then 10001.
function training() {
  const baskets = [new Map([[3, 1], [1, 1]]), new Map([[3, 1]]), new Map([[3, 1], [0, 1]]), new Map([[1, 1], [2, 1]])];
  const itemText = ['ENAMEL TEAPOT BLUE', 'GARDEN RAKE', 'ENAMEL MUG', 'PAPER NAPKINS'];
  return trainingSetOf(baskets, 4, { baskets: sparseFromRows(baskets, 4), itemText });
}

describe('cold product lists', () => {
  it('lists the text-alike catalog products first for a product nobody bought', () => {
    const lists = coldProductLists(training(), [{ code: 'new-1', text: 'Enamel teapot, green' }], 2);
    // Shares enamel+teapot with 10000, enamel with 10002.
    expect(lists.get('new-1')).toEqual(['10000', '10002']);
  });

  it('gives catalog products no list, fills past the text matches by popularity, and keeps to k', () => {
    const lists = coldProductLists(
      training(),
      [
        { code: '10001', text: 'Garden rake' },
        { code: 'new-2', text: 'Garden rake, long handle' },
      ],
      3,
    );
    expect(lists.has('10001')).toBe(false);
    // 10001 by text, then 10003 (3 baskets) before 10000 and 10002 (1 each; lower index first).
    expect(lists.get('new-2')).toEqual(['10001', '10003', '10000']);
  });

  it("uses the store's text for a catalog product when it sends one", () => {
    const lists = coldProductLists(
      training(),
      [
        { code: '10003', text: 'Teapot' },
        { code: 'new-3', text: 'teapot' },
      ],
      2,
    );
    // 10003's training text (paper napkins) shares nothing; the store's text is the product's
    // only word (cosine 1), ahead of 10000's enamel teapot blue.
    expect(lists.get('new-3')).toEqual(['10003', '10000']);
  });

  it('rejects a negative or fractional k', () => {
    expect(() => coldProductLists(training(), [], -1)).toThrow(RangeError);
    expect(() => coldProductLists(training(), [], 1.5)).toThrow(RangeError);
  });
});
