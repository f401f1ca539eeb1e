import { mergeCartLists } from '../../../shared/serving';

describe('mergeCartLists (the cart upsell from published lists)', () => {
  it('adds rank votes 1/(rank+1) across the cart and leaves the cart out', () => {
    // x: 1 (first of the first list) + 1/3 (third of the second) ≈ 1.33; y: 1/2 + 1 = 1.5;
    // z: 1/4 (fourth: the cart's own b still holds its rank, it is only left out of the result).
    const merged = mergeCartLists(
      [
        ['x', 'y', 'b', 'z'],
        ['y', 'a', 'x'],
      ],
      new Set(['a', 'b']),
      10,
    );
    expect(merged).toEqual(['y', 'x', 'z']);
  });

  it('keeps the earlier list’s order on ties and stops at k', () => {
    expect(mergeCartLists([['p', 'q'], ['r', 's']], new Set(), 3)).toEqual(['p', 'r', 'q']);
    expect(mergeCartLists([['p']], new Set(['p']), 3)).toEqual([]);
  });
});
