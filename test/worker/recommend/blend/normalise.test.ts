import { maxOver, scaleToUnitMax } from '../../../../worker/recommend/blend';

describe('scaleToUnitMax', () => {
  it('divides by the largest candidate score, ignoring excluded entries', () => {
    const scores = Float64Array.of(8, 2, -1, 4);
    // Item 0 is excluded (a bought item): the divisor is 4, so item 0 ends above 1.
    const divisor = scaleToUnitMax(scores, Uint8Array.of(1, 0, 0, 0));
    expect(divisor).toBe(4);
    expect([...scores]).toEqual([2, 0.5, -0.25, 1]);
  });

  it('leaves scores alone when no candidate is positive', () => {
    const scores = Float64Array.of(-3, 0, -1);
    expect(scaleToUnitMax(scores)).toBe(1);
    expect([...scores]).toEqual([-3, 0, -1]);
  });

  it('maxOver is -Infinity when every entry is excluded', () => {
    expect(maxOver(Float64Array.of(1, 2), Uint8Array.of(1, 1))).toBe(-Infinity);
    expect(maxOver(Float64Array.of(1, 2))).toBe(2);
  });
});
