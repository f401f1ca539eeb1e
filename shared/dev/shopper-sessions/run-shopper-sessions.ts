import type { Db } from '../../db';
import { setHoldoutShare } from '../../holdout';
import { createAppProxyClient } from './app-proxy-client';
import { DEFAULT_BEHAVIOUR, type ShopperBehaviour } from './behaviour';
import { ensureDemoCampaigns, type DemoCampaignsOutcome } from './demo-campaigns';
import { orderCancelledPayload, orderCreatedPayload, refundPayload, type SimulatedOrderPayload } from './order-payloads';
import { addTraffic, noTraffic, type ShopperSessionsSummary } from './session-summary';
import { loadShopperCatalog, type BrowsableProduct, type ShopperCatalog } from './shopper-catalog';
import { runVisit, type PlannedOrder, type VisitOutcome } from './visitor-session';
import { createWebhookDeliveries } from './webhook-deliveries';

export interface ShopperSessionsOptions {
  /** The running web process, e.g. `http://127.0.0.1:3000`: the app proxy is under `/proxy`, webhooks at `/webhooks`. */
  baseUrl: string;
  /** The shop's myshopify domain. */
  shop: string;
  /** The app's API secret: app-proxy queries and webhooks are signed with it, as Shopify signs them. */
  apiSecret: string;
  /** X-Shopify-API-Version of the webhooks. Default `2026-07`. */
  apiVersion?: string;
  /**
   * The store's database, read-only for the catalog shoppers browse (and the shop's currency),
   * and used to create the demo's sponsored campaigns (shared/sponsored, as the admin does).
   * Without it, pass `catalog`; no campaigns are created.
   */
  db?: Db;
  /** What shoppers browse when there is no `db`. */
  catalog?: { currency: string; products: BrowsableProduct[] };
  /** Visitors to simulate. */
  visitors: number;
  /** The PRNG seed: the same seed gives the same visitors, choices and ids (so a rerun is deduplicated). */
  seed: number;
  /** Epoch ms, the real clock (signatures must be within 90 s of the app's). Default `Date.now`. */
  now?: () => number;
  /** Visits in flight at once. Default 8. */
  concurrency?: number;
  /** Changes to the behaviour model (DEFAULT_BEHAVIOUR). */
  behaviour?: Partial<ShopperBehaviour>;
  /** Create (or find) the demo's sponsored campaigns first; needs `db`. Default true with a db. */
  campaigns?: boolean;
  /**
   * Set the shop's holdout share first (basis points, 0–5000; shared/holdout, as the admin does);
   * needs `db`. Default: leave the shop's setting alone (5 % unless changed).
   */
  holdoutShareBp?: number;
  /** Called after each visit (its order sent), with visits done and the total. */
  onProgress?: (done: number, total: number) => void;
}

export type ShopperSessionsResult =
  | { ok: true; summary: ShopperSessionsSummary }
  | { ok: false; reason: 'empty_catalog' | 'no_catalog' | 'holdout_share_out_of_range' };

/**
 * Drives a running app as a storefront's shoppers and Shopify would (docs/demo-traffic.md):
 * signed app-proxy block requests, event beacons, then signed orders/create webhooks carrying the
 * tokens of products added from blocks, and afterwards a few refunds/create and orders/cancelled.
 * Never calls the app's code. Deterministic in `seed`; ids derive from it, so running it twice
 * stores nothing new (webhooks answered as duplicates, events deduplicated by id).
 */
export async function runShopperSessions(options: ShopperSessionsOptions): Promise<ShopperSessionsResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const behaviour: ShopperBehaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
  let catalog: ShopperCatalog;
  if (options.db) catalog = await loadShopperCatalog(options.db, options.shop);
  else if (options.catalog) catalog = options.catalog;
  else return { ok: false, reason: 'no_catalog' };
  if (catalog.products.length === 0) return { ok: false, reason: 'empty_catalog' };
  if (options.db && options.holdoutShareBp !== undefined) {
    const share = await setHoldoutShare(options.db, options.shop, options.holdoutShareBp);
    if (!share.ok) return { ok: false, reason: 'holdout_share_out_of_range' };
  }

  let campaigns: DemoCampaignsOutcome = { created: 0, existing: 0, vendors: [], failures: [] };
  const concurrency = options.concurrency ?? 8;
  const webhooks = createWebhookDeliveries({
    baseUrl: options.baseUrl,
    shop: options.shop,
    apiSecret: options.apiSecret,
    apiVersion: options.apiVersion ?? '2026-07',
    seed: options.seed,
    concurrency,
  });
  const client = createAppProxyClient({ baseUrl: options.baseUrl, shop: options.shop, apiSecret: options.apiSecret, clock: now });
  const visits: VisitOutcome[] = new Array(options.visitors);
  const orders = new Map<number, SimulatedOrderPayload>();
  try {
    if (options.db && options.campaigns !== false) {
      campaigns = await ensureDemoCampaigns({ db: options.db, shop: options.shop, currency: catalog.currency, seed: options.seed, now, webhooks });
    }
    let next = 0;
    let done = 0;
    const worker = async () => {
      for (let index = next++; index < options.visitors; index = next++) {
        const visit = await runVisit({ client, catalog, behaviour, seed: options.seed, clock: now }, index);
        visits[index] = visit;
        if (visit.order) {
          const payload = orderCreatedPayload(options.seed, visit as VisitOutcome & { order: PlannedOrder }, catalog.currency);
          orders.set(index, payload);
          await webhooks.send('orders/create', `order:${index}`, payload, visit.order.placedAt);
        }
        options.onProgress?.(++done, options.visitors);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, options.visitors)) }, worker));

    // Refunds and cancellations come later than every order, as they do in a store.
    for (const visit of visits) {
      const order = orders.get(visit.index);
      if (!order || !visit.order) continue;
      const placed = visit as VisitOutcome & { order: PlannedOrder };
      if (visit.order.cancel) {
        const cancelled = orderCancelledPayload(options.seed, placed, order, catalog.currency);
        await webhooks.send('orders/cancelled', `cancel:${visit.index}`, cancelled, Date.parse(cancelled.updated_at));
      } else if (visit.order.refund) {
        const refund = refundPayload(options.seed, placed, order, catalog.currency);
        await webhooks.send('refunds/create', `refund:${visit.index}`, refund, Date.parse(refund.created_at));
      }
    }
  } finally {
    webhooks.close();
  }
  return { ok: true, summary: summarize(options.seed, visits, orders, catalog.currency, campaigns, webhooks, now() - started) };
}

function summarize(
  seed: number,
  visits: readonly VisitOutcome[],
  orders: ReadonlyMap<number, SimulatedOrderPayload>,
  currency: string,
  campaigns: DemoCampaignsOutcome,
  webhooks: { tally: ShopperSessionsSummary['webhooks']; failures: string[] },
  elapsedMs: number,
): ShopperSessionsSummary {
  const s: ShopperSessionsSummary = {
    seed,
    visitors: visits.length,
    holdoutVisitors: 0,
    loggedInVisitors: 0,
    consentingVisitors: 0,
    ...noTraffic(),
    eventsRejected: {},
    orders: 0,
    ordersWithRecommendations: 0,
    ordersWithoutRecommendations: 0,
    visitorLinkedOrders: 0,
    holdoutOrders: 0,
    tokenLines: 0,
    revenueMinor: 0,
    currency,
    refunds: 0,
    cancellations: 0,
    campaigns: { created: campaigns.created, existing: campaigns.existing, vendors: campaigns.vendors },
    webhooks: { ...webhooks.tally },
    failures: [...campaigns.failures],
    elapsedMs,
  };
  for (const v of visits) {
    if (v.holdout) s.holdoutVisitors++;
    if (v.customerId) s.loggedInVisitors++;
    if (v.consent) s.consentingVisitors++;
    addTraffic(s, v);
    for (const reason of v.eventsRejected) s.eventsRejected[reason] = (s.eventsRejected[reason] ?? 0) + 1;
    s.failures.push(...v.failures);
    if (!v.order || !orders.has(v.index)) continue;
    s.orders++;
    if (v.holdout) s.holdoutOrders++;
    if (v.consent) s.visitorLinkedOrders++;
    const tokens = v.order.lines.filter((l) => l.token).length;
    s.tokenLines += tokens;
    if (tokens) s.ordersWithRecommendations++;
    else s.ordersWithoutRecommendations++;
    s.revenueMinor += v.order.lines.reduce((sum, l) => sum + l.priceMinor * l.quantity, 0);
    if (v.order.cancel) s.cancellations++;
    else if (v.order.refund) s.refunds++;
  }
  s.failures.push(...webhooks.failures);
  s.failures = s.failures.slice(0, 20);
  return s;
}
