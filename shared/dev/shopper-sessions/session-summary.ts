import type { DeliveryTally } from './webhook-deliveries';

/** What a run sent and what the app answered (counts are of this run's requests). */
/** What visitors did and what the events endpoint answered: counted per visit, then summed. */
export interface TrafficCounts {
  pageViews: number;
  /** App-proxy GETs for blocks (recommendations and sponsored). */
  blockRequests: number;
  impressions: number;
  sponsoredImpressions: number;
  clicks: number;
  sponsoredClicks: number;
  addToCarts: number;
  /** Events the endpoint accepted for storage; a second run's are `eventsDuplicate` (or accepted and then dropped by the worker's receipts). */
  eventsAccepted: number;
  eventsDuplicate: number;
  /** Beacons answered 429. */
  rateLimited: number;
}

/** The counts of a visit or a run before anything happened. */
export function noTraffic(): TrafficCounts {
  return { pageViews: 0, blockRequests: 0, impressions: 0, sponsoredImpressions: 0, clicks: 0, sponsoredClicks: 0, addToCarts: 0, eventsAccepted: 0, eventsDuplicate: 0, rateLimited: 0 };
}

/** Adds a visit's counts to a run's. */
export function addTraffic(total: TrafficCounts, visit: TrafficCounts): void {
  for (const key of Object.keys(noTraffic()) as Array<keyof TrafficCounts>) total[key] += visit[key];
}

export interface ShopperSessionsSummary extends TrafficCounts {
  seed: number;
  visitors: number;
  /** Visitors the app answered `holdout: true` (they saw no blocks). */
  holdoutVisitors: number;
  loggedInVisitors: number;
  /** Visitors with analytics consent (only they send their id, so only they can be in the holdout). */
  consentingVisitors: number;
  /** Rejected events by reason (`bot`, `token_expired`…). */
  eventsRejected: Record<string, number>;
  orders: number;
  /** Orders with at least one line added from a block (carrying its token). */
  ordersWithRecommendations: number;
  ordersWithoutRecommendations: number;
  /** Orders naming their (consenting) visitor in the `_shelfwise_visitor` note attribute. */
  visitorLinkedOrders: number;
  /** Orders of holdout visitors (all without recommendations). */
  holdoutOrders: number;
  /** Lines carrying a `_shelfwise` token. */
  tokenLines: number;
  /** Gross line revenue of the orders, in minor units of `currency`. */
  revenueMinor: number;
  currency: string;
  refunds: number;
  cancellations: number;
  /** Sponsored campaigns created by this run, and found from an earlier one. */
  campaigns: { created: number; existing: number; vendors: string[] };
  webhooks: DeliveryTally;
  /** The first failures (requests that did not get the answer a browser or Shopify expects). */
  failures: string[];
  elapsedMs: number;
}

/** One line for the CLI. */
export function formatShopperSessions(s: ShopperSessionsSummary): string {
  const rejected = Object.entries(s.eventsRejected)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
  return (
    `shopper sessions (seed ${s.seed}): ${s.visitors} visitors (${s.holdoutVisitors} holdout), ${s.pageViews} page views, ` +
    `${s.impressions} impressions, ${s.clicks} clicks (${s.sponsoredClicks} sponsored), ${s.addToCarts} add-to-carts; ` +
    `${s.orders} orders (${s.ordersWithRecommendations} with recommendations), ${s.refunds} refunds, ${s.cancellations} cancelled; ` +
    `events ${s.eventsAccepted} accepted, ${s.eventsDuplicate} duplicates${rejected ? `, rejected: ${rejected}` : ''}; ` +
    `webhooks ${s.webhooks.accepted} accepted, ${s.webhooks.duplicates} duplicates, ${s.webhooks.failed} failed; ` +
    `campaigns ${s.campaigns.created} created, ${s.campaigns.existing} existing; ${(s.elapsedMs / 1000).toFixed(1)} s`
  );
}
