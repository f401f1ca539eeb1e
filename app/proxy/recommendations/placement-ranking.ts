import type { StorefrontPlacement } from '../../../shared/storefront';

/**
 * How each placement trades list order for variety. Both product-page blocks read the same
 * co-purchase (`product`) list:
 * - `fbt` keeps the list's order nearly as is (things bought together are often alike: a light
 *   MMR penalty only);
 * - `related` re-ranks the same candidates toward the page product's look-alikes (same type,
 *   vendor, tags: relevance × (1 + anchorWeight × similarity)) and penalises sameness among the
 *   picks more, so it shows alternatives across the range rather than the basket's add-ons.
 */
export const PLACEMENT_RANKING: Record<StorefrontPlacement, { diversity: number; anchorWeight: number }> = {
  fbt: { diversity: 0.1, anchorWeight: 0 },
  related: { diversity: 0.35, anchorWeight: 2 },
  for_you: { diversity: 0.25, anchorWeight: 0 },
  cart: { diversity: 0.15, anchorWeight: 0 },
};
