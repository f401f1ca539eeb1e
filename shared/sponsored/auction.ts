/** One promoted product of one campaign, as it enters a request's auction. */
export interface AuctionBidder {
  campaignId: string;
  productId: string;
  /** The campaign's maximum price of a click, whole minor units. */
  bidMinor: number;
  /** predicted CTR, (0, 1] */
  quality: number;
}

/** A bidder that won a slot, and what a click on it costs. */
export interface AuctionWin {
  campaignId: string;
  productId: string;
  /** price of a click, integer minor units */
  priceMinor: number;
  bidMinor: number;
  quality: number;
  /** 0-based */
  rank: number;
  /** bidMinor × quality, the value it was ranked by. */
  score: number;
}

export interface AuctionOptions {
  /** Sponsored slots to fill; 0 or less fills none. */
  slots: number;
  /** The least a click may cost, minor units; bids below it do not enter. */
  reserveMinor: number;
}

/** A bidder that entered, with the score it is ranked by. */
interface Entrant {
  bidder: AuctionBidder;
  score: number;
}

/**
 * The auction of docs/sponsored.md: bids below the reserve, non-whole bids and qualities that
 * are not positive finite numbers do not enter; every (campaign, product) bid ranks by score =
 * bid × quality (ties: lower campaign id, then lower product id); slots go down that order to
 * the first bid whose campaign has no slot yet and whose product is not shown yet (one slot per
 * campaign, one per product: two campaigns promoting one product compete for it). Each winner
 * pays the generalized second price: the least whole minor unit that would still hold its rank
 * against its rival — the best bid below it that could have taken its slot (a campaign without a
 * slot at or above its rank, a product not shown above it; whether or not that bid won a slot
 * itself) — within [reserve, bid]; with no rival, the reserve.
 *
 * Scores are compared as the doubles `bid × quality` evaluates to, in ranking and in pricing
 * alike, and the price is found by asking that same comparison: a price therefore never exceeds
 * the bid and never loses the rank it is charged for, whatever the rounding. The result does not
 * depend on the order of the input.
 */
export function runAuction(bidders: readonly AuctionBidder[], options: AuctionOptions): AuctionWin[] {
  const slots = Number.isFinite(options.slots) ? Math.floor(options.slots) : 0;
  if (slots <= 0) return [];
  const reserve = Number.isFinite(options.reserveMinor) ? Math.max(0, Math.ceil(options.reserveMinor)) : 0;

  const ranked: Entrant[] = [];
  for (const bidder of bidders) if (enters(bidder, reserve)) ranked.push({ bidder, score: scoreOf(bidder.bidMinor, bidder.quality) });
  ranked.sort(compareEntrants);

  const winners: Array<{ entrant: Entrant; at: number }> = [];
  const campaigns = new Set<string>();
  const products = new Set<string>();
  for (let at = 0; at < ranked.length && winners.length < slots; at++) {
    const { bidder } = ranked[at]!;
    if (campaigns.has(bidder.campaignId) || products.has(bidder.productId)) continue;
    winners.push({ entrant: ranked[at]!, at });
    campaigns.add(bidder.campaignId);
    products.add(bidder.productId);
  }

  return winners.map(({ entrant, at }, rank) => {
    // Slots above this one are decided: their campaigns (and this one's) and their products
    // cannot take this slot; anything else below it could, had this bid been lower.
    const above = winners.slice(0, rank).map((w) => w.entrant.bidder);
    const rival = ranked.slice(at + 1).find(
      ({ bidder }) =>
        bidder.campaignId !== entrant.bidder.campaignId &&
        !above.some((taken) => taken.campaignId === bidder.campaignId || taken.productId === bidder.productId),
    );
    return {
      campaignId: entrant.bidder.campaignId,
      productId: entrant.bidder.productId,
      priceMinor: secondPrice(entrant, rival, reserve),
      bidMinor: entrant.bidder.bidMinor,
      quality: entrant.bidder.quality,
      rank,
      score: entrant.score,
    };
  });
}

function enters(bidder: AuctionBidder, reserve: number): boolean {
  return (
    Number.isSafeInteger(bidder.bidMinor) &&
    bidder.bidMinor >= reserve &&
    Number.isFinite(bidder.quality) &&
    bidder.quality > 0
  );
}

function scoreOf(bidMinor: number, quality: number): number {
  return bidMinor * quality;
}

/**
 * The least whole price in [reserve, bid] at which `winner` still outranks `next`, found by
 * asking the ranking comparison itself (a binary search: p ↦ p × q is non-decreasing in
 * doubles, and at its bid the winner outranks `next` by construction). Dividing the next score
 * by the quality instead can land a unit off either way after rounding.
 */
function secondPrice(winner: Entrant, next: Entrant | undefined, reserve: number): number {
  if (next === undefined) return reserve;
  const { bidder } = winner;
  // Winner and next are different campaigns, so the comparison never reaches the bid itself.
  const holdsRankAt = (priceMinor: number): boolean =>
    compareRanked(scoreOf(priceMinor, bidder.quality), bidder, next.score, next.bidder) < 0;
  let low = reserve;
  let high = bidder.bidMinor;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (holdsRankAt(middle)) high = middle;
    else low = middle + 1;
  }
  return high;
}

function compareEntrants(a: Entrant, b: Entrant): number {
  return compareRanked(a.score, a.bidder, b.score, b.bidder);
}

/**
 * The auction's order, best first: higher score, then lower campaign id, then lower product id.
 * The last keys (raw campaign id, higher bid) only make the order total, so that duplicate or
 * oddly written input still gives one answer whatever its order.
 */
function compareRanked(aScore: number, a: AuctionBidder, bScore: number, b: AuctionBidder): number {
  if (aScore !== bScore) return aScore > bScore ? -1 : 1;
  return (
    compareCampaignIds(a.campaignId, b.campaignId) ||
    compareStrings(a.productId, b.productId) ||
    compareStrings(a.campaignId, b.campaignId) ||
    b.bidMinor - a.bidMinor
  );
}

const DECIMAL = /^[0-9]+$/;

/**
 * Campaign ids are decimal strings (database bigints) and compare as numbers: "9" before "10".
 * An id that is not decimal sorts after every decimal one, by string order.
 */
function compareCampaignIds(a: string, b: string): number {
  const aDecimal = DECIMAL.test(a);
  const bDecimal = DECIMAL.test(b);
  if (aDecimal !== bDecimal) return aDecimal ? -1 : 1;
  if (!aDecimal) return compareStrings(a, b);
  const aDigits = a.replace(/^0+(?=.)/, '');
  const bDigits = b.replace(/^0+(?=.)/, '');
  return aDigits.length - bDigits.length || compareStrings(aDigits, bDigits);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
