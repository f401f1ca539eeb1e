import fc from 'fast-check';
import { BASE_CTR, PRIOR_IMPRESSIONS, predictedCtr } from '../../../shared/sponsored/quality';

describe('predictedCtr', () => {
  it('is the prior, BASE_CTR × relevance, for a product never shown', () => {
    expect(predictedCtr({ relevance: 1, impressions: 0, clicks: 0 })).toBeCloseTo(BASE_CTR, 12);
    expect(predictedCtr({ relevance: 0.5, impressions: 0, clicks: 0 })).toBeCloseTo(0.01, 12);
  });

  it('moves from the prior toward the observed click-through as impressions accrue', () => {
    // (10 + 200 × 0.02 × 0.5) / (200 + 200) = (10 + 2) / 400 = 0.03
    expect(predictedCtr({ relevance: 0.5, impressions: 200, clicks: 10 })).toBeCloseTo(0.03, 12);
    // (500 + 200 × 0.02) / (10,000 + 200) = 504 / 10,200 ≈ 0.0494: close to the observed 0.05.
    expect(predictedCtr({ relevance: 1, impressions: 10_000, clicks: 500 })).toBeCloseTo(504 / 10_200, 12);
    expect(PRIOR_IMPRESSIONS).toBe(200);
  });

  it('clamps counts and relevance that cannot be', () => {
    const clean = predictedCtr({ relevance: 1, impressions: 10, clicks: 10 });
    expect(predictedCtr({ relevance: 3, impressions: 10, clicks: 25 })).toBe(clean);
    expect(predictedCtr({ relevance: -1, impressions: -5, clicks: -2 })).toBe(0);
    expect(predictedCtr({ relevance: Number.NaN, impressions: Number.NaN, clicks: Number.POSITIVE_INFINITY })).toBe(0);
  });

  const evidenceArb = fc.record({
    relevance: fc.double({ min: 0, max: 1, noNaN: true }),
    impressions: fc.integer({ min: 0, max: 1_000_000 }),
    clicks: fc.integer({ min: 0, max: 1_000_000 }),
  });

  it('property: a click-through in [0, 1], rising with relevance and with clicks', () => {
    fc.assert(
      fc.property(evidenceArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(1000), (evidence, moreRelevance, moreClicks) => {
        const ctr = predictedCtr(evidence);
        expect(ctr).toBeGreaterThanOrEqual(0);
        expect(ctr).toBeLessThanOrEqual(1);
        const relevance = Math.min(1, evidence.relevance + moreRelevance);
        expect(predictedCtr({ ...evidence, relevance })).toBeGreaterThanOrEqual(ctr);
        expect(predictedCtr({ ...evidence, clicks: evidence.clicks + moreClicks })).toBeGreaterThanOrEqual(ctr);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: a product with any relevance and no clicks yet has a positive quality', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1_000_000 }), (relevance, impressions) => {
        expect(predictedCtr({ relevance, impressions, clicks: 0 })).toBeGreaterThan(0);
      }),
    );
  });
});
