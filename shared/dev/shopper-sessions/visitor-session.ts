import { noTraffic, type TrafficCounts } from './session-summary';
import { toMinorUnits } from '../../money';
import type { AppProxyClient, ShopperRequestContext } from './app-proxy-client';
import type { ShopperBehaviour } from './behaviour';
import { sendBeacon, type BeaconEvent } from './events-beacon';
import { seededRandom, seedOf } from './seeded-random';
import type { BrowsableProduct, ShopperCatalog } from './shopper-catalog';
import { customerId, eventId, shopperAddress, visitorId } from './simulated-ids';
import { parseBlockAnswer, type ShownCard } from './storefront-answer';

/** A line the shopper will buy; `token` when it was added from a block. */
export interface PlannedLine {
  productId: string;
  variantId: string | null;
  title: string;
  quantity: number;
  priceMinor: number;
  token: string | null;
}

/** The order a visit ends in, and what happens to it afterwards. */
export interface PlannedOrder {
  lines: PlannedLine[];
  /** Epoch ms: checkout, after the last page view. */
  placedAt: number;
  /** A later refund of one unit of the first line. */
  refund: boolean;
  /** Cancelled after being placed (wins over `refund`). */
  cancel: boolean;
}

/** What one visitor did and what the app answered. */
export interface VisitOutcome extends TrafficCounts {
  index: number;
  visitorId: string;
  /** Analytics consent: the visitor id is sent (blocks, events, the order's cart attribute) only with it. */
  consent: boolean;
  customerId: string | null;
  holdout: boolean;
  eventsRejected: string[];
  order: PlannedOrder | null;
  failures: string[];
}

export interface VisitDeps {
  client: AppProxyClient;
  catalog: ShopperCatalog;
  behaviour: ShopperBehaviour;
  seed: number;
  /** Epoch ms of the real clock; a visit starts now. */
  clock: () => number;
}

/** A block on the page: where it asks and what it asks for. */
interface BlockRequest {
  path: '/recommendations' | '/sponsored';
  params: Array<[string, string]>;
}

/** Browsing favours what sells: index ⌊n·u²⌋ puts about half of the views on the top 30 %. */
function browse(u: number, products: readonly BrowsableProduct[]): BrowsableProduct {
  return products[Math.min(products.length - 1, Math.floor(products.length * u * u))]!;
}

/**
 * One visitor's visit: a home page, product pages (the one a clicked card leads to, else one it
 * browses to) and, with something in the cart, the cart page. Every block is an app-proxy request;
 * every page ends in one beacon with the impressions of what was shown, at most one click (a
 * click navigates) and the add to cart of a product reached through a card. A fixed number of
 * draws per page keeps each visitor's stream independent of what the app answered, so a second
 * run with the same seed makes the same choices wherever the answers are the same.
 */
export async function runVisit(deps: VisitDeps, index: number): Promise<VisitOutcome> {
  const { client, catalog, behaviour: b, seed } = deps;
  const rng = seededRandom(seedOf('shopper-sessions', seed, 'visitor', index));
  const loggedIn = rng.chance(b.loggedInShare);
  const consent = rng.chance(b.consentShare);
  const pages = rng.int(b.pagesPerVisit[0], b.pagesPerVisit[1]);
  const sponsoredOnHome = rng.chance(b.sponsoredBlockOnHome);
  const baselineBuy = rng.chance(b.baselinePurchase);
  const buyAdded = rng.chance(b.buyAdded);
  const refund = rng.chance(b.refundShare);
  const cancel = rng.chance(b.cancelShare);
  const checkoutSeconds = rng.int(60, 240);

  const outcome: VisitOutcome = {
    index,
    visitorId: visitorId(seed, index),
    consent,
    customerId: loggedIn ? String(customerId(seed, index)) : null,
    holdout: false,
    ...noTraffic(),
    eventsRejected: [],
    order: null,
    failures: [],
  };
  const shopper: ShopperRequestContext = { address: shopperAddress(index), customerId: outcome.customerId };
  const cart: PlannedLine[] = [];
  let pageAt = deps.clock();
  let arrivedBy: ShownCard | null = null;
  /** The last product page, which a baseline purchase buys. */
  let lastViewed: PlannedLine | null = null;

  const totalPages = pages + 1; // the cart page, when the cart has something
  for (let page = 0; page < totalPages; page++) {
    // Draws of this page, taken whatever the page turns out to be.
    const browseDraw = rng.next();
    const clickDraw = rng.next();
    const cardDraw = rng.next();
    const addDraw = rng.next();
    const quantity = rng.int(1, 2);
    const dwellMs = rng.int(b.secondsBetweenPages[0], b.secondsBetweenPages[1]) * 1000;
    const clickAfterMs = rng.int(3, 15) * 1000;

    const isCartPage = page === pages;
    if (isCartPage && cart.length === 0) break;
    outcome.pageViews++;
    const events: BeaconEvent[] = [];
    let n = 0;
    const nextEventId = () => eventId(seed, index, page, n++);

    let blocks: BlockRequest[];
    if (page === 0) {
      blocks = [{ path: '/recommendations', params: [['placement', 'for_you'], ['limit', '4'], ['sponsored', '1']] }];
      if (sponsoredOnHome) blocks.push({ path: '/sponsored', params: [['placement', 'for_you'], ['limit', '2']] });
    } else if (isCartPage) {
      const ids = cart.map((l) => l.productId).join(',');
      blocks = [{ path: '/recommendations', params: [['placement', 'cart'], ['cart', ids], ['limit', '4'], ['sponsored', '1']] }];
    } else {
      const browsed = arrivedBy ? null : browse(browseDraw, catalog.products);
      const productId = arrivedBy?.id ?? browsed!.id;
      lastViewed = browsed
        ? { productId, variantId: browsed.variantId, title: browsed.title, quantity: 1, priceMinor: toMinorUnits(browsed.price, catalog.currency), token: null }
        : { productId, variantId: arrivedBy!.variant_id ?? null, title: arrivedBy!.title ?? productId, quantity: 1, priceMinor: arrivedBy!.price_minor, token: null };
      if (arrivedBy && addDraw < b.addAfterClick) {
        // The card led here with its token (`sw_token`); the add is confirmed, then the event.
        cart.push({
          productId: arrivedBy.id,
          variantId: arrivedBy.variant_id ?? null,
          title: arrivedBy.title ?? arrivedBy.id,
          quantity,
          priceMinor: arrivedBy.price_minor,
          token: arrivedBy.token,
        });
        events.push({
          id: nextEventId(),
          type: 'add_to_cart',
          token: arrivedBy.token,
          at: pageAt + clickAfterMs,
          ...(arrivedBy.variant_id ? { variant_id: arrivedBy.variant_id } : {}),
          quantity,
        });
        outcome.addToCarts++;
      }
      const cartIds = cart.map((l) => l.productId).join(',');
      blocks = [
        {
          path: '/recommendations',
          params: [['placement', 'related'], ['product_id', productId], ['limit', '4'], ['sponsored', '1'], ...(cartIds ? [['cart', cartIds] as [string, string]] : [])],
        },
        { path: '/recommendations', params: [['placement', 'fbt'], ['product_id', productId], ['limit', '3']] },
      ];
    }

    const shown: ShownCard[] = [];
    for (const block of blocks) {
      // The block scripts send the visitor id (and so take part in the holdout) only with consent.
      const params: Array<[string, string]> = consent ? [...block.params, ['visitor', outcome.visitorId]] : [...block.params];
      if (shown.length) params.push(['exclude', shown.map((c) => c.id).join(',')]);
      outcome.blockRequests++;
      let answer;
      try {
        const response = await client.get(block.path, params, shopper);
        answer = parseBlockAnswer(response.status, response.text);
      } catch (error) {
        answer = { ok: false as const, reason: (error as Error).message };
      }
      if (!answer.ok) {
        outcome.failures.push(`${block.path} ${block.params[0]![1]}: ${answer.reason}`);
        continue;
      }
      if (answer.holdout) outcome.holdout = true;
      shown.push(...answer.cards);
    }

    shown.forEach((card, i) => {
      events.push({ id: nextEventId(), type: 'impression', token: card.token, at: pageAt + 1000 + i * 150 });
      outcome.impressions++;
      if (card.sponsored) outcome.sponsoredImpressions++;
    });

    arrivedBy = null;
    if (shown.length && clickDraw < b.clickPerPage) {
      const card = weightedCard(shown, cardDraw, b.sponsoredClickWeight);
      events.push({ id: nextEventId(), type: 'click', token: card.token, at: pageAt + clickAfterMs });
      outcome.clicks++;
      if (card.sponsored) outcome.sponsoredClicks++;
      if (isCartPage) {
        // The cart upsell's own button adds to the cart without leaving the page.
        if (addDraw < b.addAfterClick) {
          cart.push({ productId: card.id, variantId: card.variant_id ?? null, title: card.title ?? card.id, quantity: 1, priceMinor: card.price_minor, token: card.token });
          events.push({ id: nextEventId(), type: 'add_to_cart', token: card.token, at: pageAt + clickAfterMs + 2000, ...(card.variant_id ? { variant_id: card.variant_id } : {}), quantity: 1 });
          outcome.addToCarts++;
        }
      } else {
        arrivedBy = card;
      }
    }

    if (events.length) {
      try {
        const sent = await sendBeacon(client, shopper, { visitorId: outcome.visitorId, consent, events });
        if (sent.status === 'answered') {
          outcome.eventsAccepted += sent.accepted;
          outcome.eventsDuplicate += sent.duplicates;
          outcome.eventsRejected.push(...sent.rejected);
        } else if (sent.status === 'rate_limited') outcome.rateLimited++;
        else outcome.failures.push(sent.reason);
      } catch (error) {
        outcome.failures.push(`events: ${(error as Error).message}`);
      }
    }
    pageAt += dwellMs;
  }

  // Blocks raise the chance to buy (what was added from them); every visitor, holdout included,
  // may also buy the last product it looked at, without any block: the baseline the lift is over.
  const lines = buyAdded ? [...cart] : [];
  const baseline = lastViewed;
  if (baselineBuy && baseline && !lines.some((l) => l.productId === baseline.productId)) lines.push(baseline);
  if (lines.length) outcome.order = { lines, placedAt: pageAt + checkoutSeconds * 1000, refund: refund && !cancel, cancel };
  return outcome;
}

/** The card a click lands on: `draw` in [0, 1) over the cards' weights (sponsored ones heavier). */
function weightedCard(cards: readonly ShownCard[], draw: number, sponsoredWeight: number): ShownCard {
  const weights = cards.map((c) => (c.sponsored ? sponsoredWeight : 1));
  let left = draw * weights.reduce((a, w) => a + w, 0);
  for (let i = 0; i < cards.length; i++) {
    left -= weights[i]!;
    if (left < 0) return cards[i]!;
  }
  return cards[cards.length - 1]!;
}
