import { sparseFromRows } from '../../../../worker/recommend/evaluation';
import { catalogContentNeighbours, itemBlendScorer, recentShare, type ItemBlendSettings } from '../../../../worker/recommend/models/item-blend';
import { weightedCoOccurrence } from '../../../../worker/recommend/models/weighted-co-occurrence';
import { trainingSetOf } from '../../../support/training-set';

// A (0) was ordered once, with B (1); D (3) twenty times, with E (4). C (2) has A's text, F (5)
// has D's, and neither shares a basket with them: C and F are only text neighbours.
const A = 0, B = 1, C = 2, D = 3, E = 4, F = 5;
function training() {
  const baskets = [new Map([[A, 1], [B, 1]]), ...Array.from({ length: 20 }, () => new Map([[D, 1], [E, 1]])), new Map([[C, 1]]), new Map([[F, 1]])];
  const itemText = ['enamel teapot', 'tea towel', 'enamel teapot', 'garden rake', 'leather gloves', 'garden rake'];
  return trainingSetOf(baskets, 6, { baskets: sparseFromRows(baskets, 6), itemText });
}

function scoresOf(anchor: number, settings: Pick<ItemBlendSettings, 'popularityExponent' | 'contentWeight' | 'contentSupport'> & Partial<ItemBlendSettings>) {
  const set = training();
  const scores = new Float64Array(6);
  itemBlendScorer({ co: weightedCoOccurrence(set), content: catalogContentNeighbours(set), recentShare: recentShare(set) }, { trendExponent: 0, anchorScale: 'best', ...settings })(anchor, scores);
  return scores;
}

describe('item blend', () => {
  it('lets text outrank co-purchase for an anchor below the support scale, not above it', () => {
    const settings = { popularityExponent: 0, contentWeight: 3, contentSupport: 2 };
    // A: one basket, text weight 3 · 2/(2 + 1) = 2 on cosine 1 (same text) beats B's normalised 1.
    const a = scoresOf(A, settings);
    expect(a[C]).toBeCloseTo(2, 5);
    expect(a[B]).toBeCloseTo(1, 5);
    // D: twenty baskets, text weight 3 · 2/22 = 0.27 on cosine 1; E, its co-purchase, keeps 1.
    const d = scoresOf(D, settings);
    expect(d[F]).toBeCloseTo(6 / 22, 5);
    expect(d[E]).toBeCloseTo(1, 5);
  });

  it('keeps the text weight for every anchor when the support scale is 0', () => {
    const d = scoresOf(D, { popularityExponent: 0, contentWeight: 3, contentSupport: 0 });
    expect(d[F]).toBeCloseTo(3, 5);
  });

  it('orders items nothing scored by basket popularity, far below any real score', () => {
    const a = scoresOf(A, { popularityExponent: 0, contentWeight: 0, contentSupport: 0 });
    // D and E are in 20 baskets, F in one: D, E ahead of F; all under 1e-5.
    expect(a[D]!).toBeGreaterThan(a[F]!);
    expect(a[D]!).toBeLessThan(1e-5);
    expect(a[B]).toBeCloseTo(1, 5);
  });
});

describe('trend factor', () => {
  // Anchor 0 shares one basket with 1 (a thousand days old) and one with 2 (today).
  const DAY = 86_400;
  const cutoff = 2_000 * DAY;
  const rows = [new Map([[0, 1], [1, 1]]), new Map([[0, 1], [2, 1]])];
  const set = trainingSetOf(rows, 3, { baskets: sparseFromRows(rows, 3), cutoff, basketTime: Float64Array.of(cutoff - 1_000 * DAY, cutoff) });

  it('is the smoothed recent share of an item’s baskets', () => {
    // Item 1: (≈0 + 1)/(1 + 1); item 2: (1 + 1)/(1 + 1); item 0: (1 + 1)/(2 + 1).
    const share = recentShare(set);
    expect(share[1]).toBeCloseTo(0.5, 12);
    expect(share[2]).toBeCloseTo(1, 12);
    expect(share[0]).toBeCloseTo(2 / 3, 12);
  });

  it('moves the item selling now ahead of an equal co-purchase from long ago', () => {
    const scores = new Float64Array(3);
    const parts = { co: weightedCoOccurrence(set), content: catalogContentNeighbours(set), recentShare: recentShare(set) };
    itemBlendScorer(parts, { popularityExponent: 0, anchorScale: 'best', contentWeight: 0, contentSupport: 0, trendExponent: 1 })(0, scores);
    expect(scores[1]).toBeCloseTo(0.5, 5);
    expect(scores[2]).toBeCloseTo(1, 5);
  });
});

describe('anchor scale', () => {
  // Anchor 0 is in three baskets: with 1 twice, with 2 once.
  const rows = [new Map([[0, 1], [1, 1]]), new Map([[0, 1], [1, 1]]), new Map([[0, 1], [2, 1]]), new Map([[1, 1]])];
  const set = trainingSetOf(rows, 3, { baskets: sparseFromRows(rows, 3) });
  const scoresWith = (settings: Pick<ItemBlendSettings, 'anchorScale' | 'popularityExponent'>) => {
    const scores = new Float64Array(3);
    const parts = { co: weightedCoOccurrence(set), content: catalogContentNeighbours(set), recentShare: recentShare(set) };
    itemBlendScorer(parts, { contentWeight: 0, contentSupport: 0, trendExponent: 0, ...settings })(0, scores);
    return scores;
  };

  it('scales by the best item (1) or by the anchor support, P(j | a)', () => {
    const best = scoresWith({ anchorScale: 'best', popularityExponent: 0 });
    expect(best[1]).toBeCloseTo(1, 5);
    expect(best[2]).toBeCloseTo(0.5, 5);
    const support = scoresWith({ anchorScale: 'support', popularityExponent: 0 });
    expect(support[1]).toBeCloseTo(2 / 3, 5);
    expect(support[2]).toBeCloseTo(1 / 3, 5);
  });

  it('is cosine with the support scale at popularity exponent 1/2', () => {
    // s(0) = 3, s(1) = 3, s(2) = 1: cos(0, 1) = 2/√9, cos(0, 2) = 1/√3.
    const cosine = scoresWith({ anchorScale: 'support', popularityExponent: 0.5 });
    expect(cosine[1]).toBeCloseTo(2 / 3, 5);
    expect(cosine[2]).toBeCloseTo(1 / Math.sqrt(3), 5);
  });
});
