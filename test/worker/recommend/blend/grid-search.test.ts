import { bestOnGrid, gridOf } from '../../../../worker/recommend/blend';

describe('gridOf', () => {
  it('lists every combination, the first axis varying slowest', () => {
    expect(gridOf({ a: [1, 2], b: [10, 20, 30] })).toEqual([
      { a: 1, b: 10 },
      { a: 1, b: 20 },
      { a: 1, b: 30 },
      { a: 2, b: 10 },
      { a: 2, b: 20 },
      { a: 2, b: 30 },
    ]);
  });

  it('refuses an empty axis', () => {
    expect(() => gridOf({ a: [1], b: [] })).toThrow(/axis b/);
  });
});

describe('bestOnGrid', () => {
  it('keeps the highest objective and reports every try in order', () => {
    const result = bestOnGrid([3, 1, 4, 1, 5, 9, 2, 6], (x) => -((x - 4.2) ** 2));
    expect(result.best).toBe(4);
    expect(result.value).toBeCloseTo(-0.04, 12);
    expect(result.tried.map((t) => t.candidate)).toEqual([3, 1, 4, 1, 5, 9, 2, 6]);
  });

  it('keeps the earlier candidate on a tie', () => {
    expect(bestOnGrid(['a', 'b', 'c'], (s) => (s === 'a' ? 0 : 1)).best).toBe('b');
  });

  it('refuses an empty grid', () => {
    expect(() => bestOnGrid([], () => 0)).toThrow(RangeError);
  });
});
