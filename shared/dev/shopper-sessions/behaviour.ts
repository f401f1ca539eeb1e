/**
 * How simulated shoppers behave (docs/demo-traffic.md). Probabilities are per visitor or per
 * page view as named; every draw comes from the visitor's own seeded stream.
 */
export interface ShopperBehaviour {
  /** Page views per visit, inclusive range. Default 2–5. */
  pagesPerVisit: readonly [number, number];
  /** Share of visitors logged in to a customer account (sent as `logged_in_customer_id`). Default 0.3. */
  loggedInShare: number;
  /** Share of visitors who granted analytics consent (their events carry the visitor id). Default 0.85. */
  consentShare: number;
  /** Chance that a page view with blocks ends with a click on one card. Default 0.15. */
  clickPerPage: number;
  /** Weight of a sponsored card against an organic one when the click picks its card. Default 1.5. */
  sponsoredClickWeight: number;
  /** Chance that a shopper who clicked a card adds that product to the cart. Default 0.3. */
  addAfterClick: number;
  /** Chance that a shopper whose cart holds products added from blocks buys them. Default 0.35. */
  buyAdded: number;
  /** Chance that any visitor, holdout or not, buys a product it browsed, without any block. Default 0.06. */
  baselinePurchase: number;
  /** Chance that the Sponsored products block is on the home page a visitor sees. Default 0.5. */
  sponsoredBlockOnHome: number;
  /** Share of orders with a refund of part of one line. Default 0.08. */
  refundShare: number;
  /** Share of orders cancelled (fully refunded) after being placed. Default 0.02. */
  cancelShare: number;
  /** Simulated seconds between two page views, inclusive range. Default 8–40. */
  secondsBetweenPages: readonly [number, number];
}

export const DEFAULT_BEHAVIOUR: ShopperBehaviour = {
  pagesPerVisit: [2, 5],
  loggedInShare: 0.3,
  consentShare: 0.85,
  clickPerPage: 0.15,
  sponsoredClickWeight: 1.5,
  addAfterClick: 0.3,
  buyAdded: 0.35,
  baselinePurchase: 0.06,
  sponsoredBlockOnHome: 0.5,
  refundShare: 0.08,
  cancelShare: 0.02,
  secondsBetweenPages: [8, 40],
};
