import { sql } from 'kysely';
import { attributeOrder, type LineCredit, type StorefrontTouch } from '../../shared/attribution';
import type { Db } from '../../shared/db';
import { attributionChanges, creditRow, type StoredCredit, type StoredRevenue } from './credit-changes';
import { lockOrder } from './locks';
import { orderRevenueRow } from './order-revenue';
import { rollupDeltas, deltaDays } from './rollup-deltas';
import { windowsFromSettings } from './settings';
import { writeAttributionChanges } from './write-changes';

export interface OrderAttributionDeps {
  db: Db;
  /** Recommendation token keys (shared/tracking recommendationTokenKeys: current and previous). */
  tokenKey: Buffer | readonly Buffer[];
  /** CUSTOMER_ID_KEY: order_revenue's visitor_key is the events endpoint's visitor pseudonym. */
  customerIdKey: string;
  /** Stamps computed_at. Default: the wall clock. */
  now?: () => Date;
}

export interface ReattributionResult {
  /** Line items credited now. */
  credits: number;
  /** Days whose rollup rows were refreshed (none when nothing changed). */
  days: string[];
}

/**
 * Re-attributes one order from what is stored now (the order's newest version, its line items,
 * every refund, the customer's events and the shop's windows), in one transaction: its
 * order_attributions rows and its order_revenue row are brought to what they should be (only
 * changed rows written) and the order's change of contribution added to the rollup rows
 * (attribution_daily, attribution_daily_orders, store_daily; rollupDeltas, writeAttributionChanges).
 * The order's advisory lock is taken first, so re-attributions of one order run one after another
 * and the last one reads every write committed before it: call it after each write (even a stale
 * one), and redelivery or reordering converge on the same rows.
 */
export async function reattributeOrder(deps: OrderAttributionDeps, shop: string, orderId: string): Promise<ReattributionResult> {
  const now = deps.now ?? (() => new Date());
  return deps.db.transaction().execute(async (trx) => {
    // One after another: a transaction holds one connection (PGlite has only one).
    await lockOrder(trx, shop, orderId);
    // The order with the shop's windows and what is stored of its attribution, in one round trip:
    // the stored rows come as json (timestamps as ISO text, which credit-changes compares as
    // instants). Without the order (never stored, or erased), they are read on their own.
    const order = await trx
      .selectFrom('orders as o')
      .leftJoin('attribution_settings as s', 's.shop', 'o.shop')
      .selectAll('o')
      .select(['s.recommendation_click_window_seconds', 's.sponsored_click_window_seconds', 's.sponsored_view_window_seconds'])
      .select(sql<StoredCredit[]>`(select coalesce(json_agg(a), '[]'::json) from order_attributions a where a.shop = o.shop and a.order_id = o.id)`.as('credits_before'))
      .select(sql<StoredRevenue | null>`(select to_json(r) from order_revenue r where r.shop = o.shop and r.order_id = o.id)`.as('revenue_before'))
      .where('o.shop', '=', shop)
      .where('o.id', '=', orderId)
      .executeTakeFirst();
    const before = order ? order.credits_before : await trx.selectFrom('order_attributions').selectAll().where('shop', '=', shop).where('order_id', '=', orderId).execute();
    const revenueBefore = order ? (order.revenue_before ?? undefined) : await trx.selectFrom('order_revenue').selectAll().where('shop', '=', shop).where('order_id', '=', orderId).executeTakeFirst();
    let credits: LineCredit[] = [];
    let revenue: ReturnType<typeof orderRevenueRow> = null;
    const computedAt = now();
    if (order) {
      // Each line with the sum of its refund line subtotals (all attribution needs of refunds).
      // The order's refund lines are summed once (one index range), not looked up per line.
      const refundedByLine = trx
        .selectFrom('refund_line_items')
        .select(['line_item_id', sql<number>`sum(subtotal_minor)::bigint`.as('refunded')])
        .where('shop', '=', shop)
        .where('order_id', '=', orderId)
        .groupBy('line_item_id')
        .as('r');
      const lineItems = await trx
        .selectFrom('order_line_items as li')
        .leftJoin(refundedByLine, 'r.line_item_id', 'li.id')
        .select(['li.id', 'li.product_id', 'li.quantity', 'li.price_minor', 'li.total_discount_minor', 'li.properties'])
        .select(sql<number>`coalesce(r.refunded, 0)`.as('refunded_minor'))
        .where('li.shop', '=', shop)
        .where('li.order_id', '=', orderId)
        .orderBy('li.position')
        .execute();
      const refundLines = lineItems.filter((li) => Number(li.refunded_minor) !== 0).map((li) => ({ line_item_id: li.id, subtotal_minor: Number(li.refunded_minor) }));
      const windows = windowsFromSettings(order);
      const products = [...new Set(lineItems.map((li) => li.product_id).filter((id): id is string => id !== null))];
      let events: StorefrontTouch[] = [];
      if (order.customer_key && products.length) {
        const longest = Math.max(windows.recommendationClickSeconds, windows.sponsoredClickSeconds, windows.sponsoredViewSeconds);
        const rows = await trx
          .selectFrom('storefront_events')
          .select(['id', 'type', 'occurred_at', 'customer_key', 'product_id', 'token'])
          .where('shop', '=', shop)
          .where('customer_key', '=', order.customer_key)
          // Clicks, and impressions only of sponsored slots (the only ones a view credits; the
          // stored flag is the verified token's, and the rule checks the token again).
          .where((eb) => eb.or([eb('type', '=', 'click'), eb.and([eb('type', '=', 'impression'), eb('sponsored', '=', true)])]))
          // One array parameter, not one per product.
          .where('product_id', '=', sql<string>`any(${products}::text[])`)
          .where('occurred_at', '>=', new Date(order.created_at.getTime() - longest * 1000))
          .where('occurred_at', '<=', order.created_at)
          .execute();
        events = rows.map((e) => ({ id: e.id, type: e.type, occurredAt: e.occurred_at, customerKey: e.customer_key, productId: e.product_id, token: e.token }));
      }
      // The stored click and view credits' touches stay evidence once their events are gone.
      const retained: StorefrontTouch[] = before.flatMap((c) =>
        (c.source === 'click' || c.source === 'view') && c.event_id !== null && c.product_id !== null
          ? [{ id: c.event_id, type: c.source === 'click' ? ('click' as const) : ('impression' as const), occurredAt: new Date(c.touched_at), customerKey: null, productId: c.product_id, token: c.token }]
          : [],
      );
      credits = attributeOrder({
        shop,
        tokenKey: deps.tokenKey,
        windows,
        order: {
          id: order.id,
          createdAt: order.created_at,
          currency: order.currency,
          presentmentCurrency: order.presentment_currency,
          customerKey: order.customer_key,
          noteAttributes: order.note_attributes,
          test: order.test,
          cancelledAt: order.cancelled_at,
        },
        lineItems: lineItems.map((li) => ({
          id: li.id,
          productId: li.product_id,
          quantity: li.quantity,
          priceMinor: li.price_minor,
          totalDiscountMinor: li.total_discount_minor,
          properties: li.properties,
        })),
        refundLines: refundLines.map((r) => ({ lineItemId: r.line_item_id, subtotalMinor: r.subtotal_minor })),
        events,
        retained,
        verifiedTokens: new Set(before.map((c) => c.token)),
      });
      revenue = orderRevenueRow({ shop, order, lineItems, refundLines, credits, customerIdKey: deps.customerIdKey, computedAt });
    }
    const after = credits.map((c) => creditRow(shop, orderId, c, computedAt));
    const changes = attributionChanges({ before, after, revenueBefore, revenueAfter: revenue });
    const deltas = rollupDeltas({ before, after, revenueBefore, revenueAfter: revenue });
    // Unchanged credits and revenue (a redelivery) write nothing and leave every rollup row as it is.
    await writeAttributionChanges(trx, { shop, orderId, changes, revenue, deltas });
    return { credits: credits.length, days: deltaDays(deltas) };
  });
}

/** The ingest's hook: `attributeOrder(shop, orderId)` after every order or refund write. */
export function createOrderAttribution(deps: OrderAttributionDeps): { attributeOrder(shop: string, orderId: string): Promise<ReattributionResult> } {
  return { attributeOrder: (shop, orderId) => reattributeOrder(deps, shop, orderId) };
}

/**
 * Wraps an order writer (worker/store upsertOrder, as the sync's `store.upsertOrder`) so that
 * every write, stale or not, is followed by the order's re-attribution.
 */
export function attributingOrderWriter<R extends { shop: string; id: string }, O>(
  write: (db: Db, record: R) => Promise<O>,
  attribution: { attributeOrder(shop: string, orderId: string): Promise<unknown> },
): (db: Db, record: R) => Promise<O> {
  return async (db, record) => {
    const outcome = await write(db, record);
    await attribution.attributeOrder(record.shop, record.id);
    return outcome;
  };
}
