import fc from 'fast-check';
import { groupVariance, liftFromSums, MIN_CONVERTING_VISITORS_PER_GROUP, MIN_VISITORS_PER_GROUP, welchDifference, Z_95, type GroupSums } from '../../../shared/holdout';

const sums = (revenues: number[]): GroupSums => ({
  visitors: revenues.length,
  converting: revenues.filter((r) => r > 0).length,
  sumMinor: revenues.reduce((a, b) => a + b, 0),
  sumSquaresMinor: revenues.reduce((a, b) => a + b * b, 0),
});
/** n visitors, `buyers` of them spending `each`. */
const group = (n: number, buyers: number, each: number): GroupSums => sums([...new Array<number>(buyers).fill(each), ...new Array<number>(n - buyers).fill(0)]);

describe('welchDifference', () => {
  it('matches a hand-computed example', () => {
    // Treatment 0, 0, 10, 20: mean 7.5, s² = (500 − 30²/4)/3 = 91.6̅. Holdout 0, 10: mean 5, s² = 50.
    const w = welchDifference(sums([0, 0, 10, 20]), sums([0, 10]))!;
    expect(w.meanTreatment).toBe(7.5);
    expect(w.meanHoldout).toBe(5);
    expect(w.difference).toBe(2.5);
    const se = Math.sqrt(275 / 3 / 4 + 50 / 2);
    expect(w.standardError).toBeCloseTo(se, 12);
    expect(se).toBeCloseTo(6.922187, 5);
    expect(w.ci95[0]).toBeCloseTo(2.5 - 1.959964 * 6.92218, 3);
    expect(w.ci95[1]).toBeCloseTo(16.0672, 3);
  });

  it('has no interval for a group of fewer than 2 visitors, and no spread for constant revenue', () => {
    expect(welchDifference(sums([5]), sums([1, 2]))).toBeNull();
    expect(groupVariance(sums([7, 7, 7]))).toBe(0);
    const w = welchDifference(sums([7, 7, 7]), sums([3, 3]))!;
    expect(w.ci95).toEqual([4, 4]);
  });

  const revenues = fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 2, maxLength: 60 });

  it('(property) its interval contains the point estimate and is symmetric around it', () => {
    fc.assert(
      fc.property(revenues, revenues, (t, h) => {
        const w = welchDifference(sums(t), sums(h))!;
        return w.ci95[0] <= w.difference && w.difference <= w.ci95[1] && Math.abs(w.difference - w.ci95[0] - (w.ci95[1] - w.difference)) < 1e-6 * (1 + Math.abs(w.ci95[1]));
      }),
    );
  });

  it('(property) widens as the sample falls: the same revenues seen twice as often give a narrower interval', () => {
    fc.assert(
      fc.property(revenues, revenues, (t, h) => {
        const small = welchDifference(sums(t), sums(h))!;
        const large = welchDifference(sums([...t, ...t]), sums([...h, ...h]))!;
        expect(large.difference).toBeCloseTo(small.difference, 6);
        const width = (w: typeof small) => w.ci95[1] - w.ci95[0];
        if (small.standardError === 0) return width(large) <= 1e-9;
        return width(large) < width(small);
      }),
    );
  });
});

describe('liftFromSums', () => {
  it('is off when the share is 0 and nobody was held out', () => {
    const lift = liftFromSums({ shareBp: 0, treatment: group(500, 50, 1000), holdout: group(0, 0, 0), currency: 'EUR' });
    expect(lift.status).toBe('off');
    expect(lift.holdoutShare).toBe(0);
    expect(lift.ci95PerVisitorMinor).toBeNull();
    expect(lift.significant).toBe(false);
    expect(lift.message).toMatch(/holdout is off/);
  });

  it('says the sample is too small, with how many of how many', () => {
    const few = liftFromSums({ shareBp: 500, treatment: group(900, 90, 1000), holdout: group(41, 5, 1000), currency: 'EUR' });
    expect(few.status).toBe('too_small');
    expect(few.message).toBe(`Not enough visitors in the holdout yet to conclude: 41 of the ${MIN_VISITORS_PER_GROUP} needed.`);
    expect(few.ci95PerVisitorMinor).toBeNull();
    expect(few.significant).toBe(false);
    expect(few.visitors).toEqual({ treatment: 900, holdout: 41 });
    const buyers = liftFromSums({ shareBp: 500, treatment: group(900, 90, 1000), holdout: group(150, 3, 1000), currency: 'EUR' });
    expect(buyers.status).toBe('too_small');
    expect(buyers.message).toBe(`Not enough buyers in the holdout yet to conclude: 3 of the ${MIN_CONVERTING_VISITORS_PER_GROUP} needed.`);
    const treatment = liftFromSums({ shareBp: 500, treatment: group(200, 9, 1000), holdout: group(150, 30, 1000), currency: 'EUR' });
    expect(treatment.message).toMatch(/buyers among visitors who see recommendations yet to conclude: 9 of the 10 needed/);
  });

  it('reports a significant lift with its interval and the incremental revenue (hand-computed)', () => {
    // Treatment: 1000 visitors, 200 spend 5000 → mean 1000, s² = (200·5000² − 1000·1000²)/999.
    // Holdout: 200 visitors, 20 spend 5000 → mean 500, s² = (20·5000² − 200·500²)/199.
    const treatment = group(1000, 200, 5000);
    const holdout = group(200, 20, 5000);
    const lift = liftFromSums({ shareBp: 500, treatment, holdout, currency: 'EUR' });
    const vT = (200 * 5000 ** 2 - 1000 * 1000 ** 2) / 999;
    const vH = (20 * 5000 ** 2 - 200 * 500 ** 2) / 199;
    const se = Math.sqrt(vT / 1000 + vH / 200);
    expect(lift.status).toBe('ok');
    expect(lift.holdoutShare).toBe(0.05);
    expect(lift.revenuePerVisitorMinor).toEqual({ treatment: 1000, holdout: 500 });
    expect(lift.convertingVisitors).toEqual({ treatment: 200, holdout: 20 });
    expect(lift.incrementalPerVisitorMinor).toBe(500);
    expect(lift.incrementalRevenueMinor).toBe(500_000);
    expect(lift.ci95PerVisitorMinor).toEqual([Math.floor(500 - Z_95 * se), Math.ceil(500 + Z_95 * se)]);
    expect(lift.ci95PerVisitorMinor![0]).toBeGreaterThan(0);
    expect(lift.significant).toBe(true);
    expect(lift.message).toMatch(/^Recommendations brought about 5\.00 EUR more per visitor than the holdout \(95 % confidence interval \d+\.\d\d EUR to \d+\.\d\d EUR per visitor\), about 5000\.00 EUR over 1000 visitors\.$/);
  });

  it('does not call a difference inside the noise significant', () => {
    const lift = liftFromSums({ shareBp: 500, treatment: group(1000, 100, 5000), holdout: group(150, 14, 5000), currency: 'JPY' });
    expect(lift.status).toBe('ok');
    expect(lift.incrementalPerVisitorMinor).toBe(500 - Math.round((14 * 5000) / 150));
    const [lo, hi] = lift.ci95PerVisitorMinor!;
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(0);
    expect(lift.significant).toBe(false);
    expect(lift.message).toMatch(/^No clear difference yet/);
  });

  it('(property) the rounded interval contains the rounded point estimate; significant exactly when it excludes 0', () => {
    const g = fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 100_000 })).chain(([n, , each]) =>
      fc.integer({ min: 10, max: n }).map((buyers) => group(n, buyers, each)),
    );
    fc.assert(
      fc.property(g, g, (treatment, holdout) => {
        const lift = liftFromSums({ shareBp: 500, treatment, holdout, currency: 'EUR' });
        const [lo, hi] = lift.ci95PerVisitorMinor!;
        const w = welchDifference(treatment, holdout)!;
        return lift.status === 'ok' && lo <= lift.incrementalPerVisitorMinor && lift.incrementalPerVisitorMinor <= hi && lift.significant === (w.ci95[0] > 0 || w.ci95[1] < 0);
      }),
      { numRuns: 200 },
    );
  });
});
