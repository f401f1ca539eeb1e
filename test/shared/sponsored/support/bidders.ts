import fc from 'fast-check';
import type { AuctionBidder } from '../../../../shared/sponsored/auction';

/**
 * Few campaigns and products, so that campaigns field several products and scores tie often;
 * ids like "9" and "10" check that campaign ids compare as numbers.
 */
const campaignIdArb = fc.constantFrom('1', '2', '3', '9', '10', '11', '100', '12345678901234567890');
const productIdArb = fc.constantFrom('gid-a', 'gid-b', 'gid-c', '10', '9');
/** Round qualities make exact ties (0.02 × 100 = 0.04 × 50); arbitrary ones exercise rounding. */
const qualityArb = fc.oneof(
  fc.constantFrom(0.01, 0.02, 0.03, 0.04, 0.05, 0.1, 0.25, 0.5, 1),
  fc.double({ min: 1e-6, max: 1, noNaN: true }),
);

/** Bidders that may all enter (reserve permitting). */
export const validBidderArb: fc.Arbitrary<AuctionBidder> = fc.record({
  campaignId: campaignIdArb,
  productId: productIdArb,
  bidMinor: fc.integer({ min: 0, max: 300 }),
  quality: qualityArb,
});

/** Bidders the auction must turn away: no quality, a broken quality or a non-whole bid. */
const invalidBidderArb: fc.Arbitrary<AuctionBidder> = fc.record({
  campaignId: campaignIdArb,
  productId: productIdArb,
  bidMinor: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(12.5, Number.NaN, Number.POSITIVE_INFINITY, -4)),
  quality: fc.constantFrom(0, -0.1, Number.NaN, Number.POSITIVE_INFINITY),
});

export const biddersArb: fc.Arbitrary<AuctionBidder[]> = fc.array(
  fc.oneof({ arbitrary: validBidderArb, weight: 9 }, { arbitrary: invalidBidderArb, weight: 1 }),
  { maxLength: 14 },
);

export const optionsArb = fc.record({
  slots: fc.integer({ min: -1, max: 5 }),
  reserveMinor: fc.integer({ min: 0, max: 60 }),
});

/** Whether a bidder may enter, written apart from the auction's own check. */
export function entersAuction(bidder: AuctionBidder, reserveMinor: number): boolean {
  return (
    Number.isInteger(bidder.bidMinor) &&
    bidder.bidMinor >= reserveMinor &&
    Number.isFinite(bidder.quality) &&
    bidder.quality > 0
  );
}

/**
 * Whether a bidder with score `score` and ids (campaignId, productId) outranks another, by the
 * contract's words: higher score, then the lower campaign id as a number, then the lower
 * product id. Written with BigInt, independently of the auction's comparison.
 */
export function outranks(
  a: { score: number; campaignId: string; productId: string },
  b: { score: number; campaignId: string; productId: string },
): boolean {
  if (a.score !== b.score) return a.score > b.score;
  const aCampaign = BigInt(a.campaignId);
  const bCampaign = BigInt(b.campaignId);
  if (aCampaign !== bCampaign) return aCampaign < bCampaign;
  return a.productId < b.productId;
}
