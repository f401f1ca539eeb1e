import { attributeOrder, type LineCredit, type StorefrontTouch } from '../../shared/attribution';
import type { Db } from '../../shared/db';
import { rebuildDailyRollup } from './daily-rollup';
import { orderRevenueRow } from './order-revenue';
import { loadAttributionWindows } from './settings';

export interface OrderAttributionDeps {
  db: Db;
  /** Recommendation token key (shared/tracking recommendationTokenKey of TOKEN_ENCRYPTION_KEY). */
  tokenKey: Buffer;
  /** CUSTOMER_ID_KEY: order_revenue's visitor_key is the events endpoint's visitor pseudonym. */
  customerIdKey: string;
  /** Stamps computed_at. Default: the wall clock. */
  now?: () => Date;
}

export interface ReattributionResult {
  /** Line items credited now. */
  credits: number;
  /** Days whose rollup was rebuilt. */
  days: string[];
}

/**
 * Re-attributes one order from what is stored now (the order's newest version, its line items,
 * every refund, the customer's events and the shop's windows), in one transaction: its
 * order_attributions rows and its order_revenue row are replaced and the rollups of every day
 * they were or are on rebuilt (attribution_daily, attribution_daily_orders, store_daily).
 * The order row is locked first, so re-attributions of one order run one after another and the
 * last one reads every write committed before it: call it after each write (even a stale one),
 * and redelivery or reordering converge on the same rows.
 */
export async function reattributeOrder(deps: OrderAttributionDeps, shop: string, orderId: string): Promise<ReattributionResult> {
  const now = deps.now ?? (() => new Date());
  return deps.db.transaction().execute(async (trx) => {
    const order = await trx.selectFrom('orders').selectAll().where('shop', '=', shop).where('id', '=', orderId).forUpdate().executeTakeFirst();
    const before = await trx.selectFrom('order_attributions').select('day').distinct().where('shop', '=', shop).where('order_id', '=', orderId).execute();
    const revenueBefore = await trx.selectFrom('order_revenue').select('day').where('shop', '=', shop).where('order_id', '=', orderId).execute();
    let credits: LineCredit[] = [];
    let revenue: ReturnType<typeof orderRevenueRow> = null;
    const computedAt = now();
    if (order) {
      // One after another: a transaction holds one connection (PGlite has only one).
      const lineItems = await trx.selectFrom('order_line_items').selectAll().where('shop', '=', shop).where('order_id', '=', orderId).orderBy('position').execute();
      const refundLines = await trx.selectFrom('refund_line_items').select(['line_item_id', 'subtotal_minor']).where('shop', '=', shop).where('order_id', '=', orderId).execute();
      const windows = await loadAttributionWindows(trx, shop);
      const products = [...new Set(lineItems.map((li) => li.product_id).filter((id): id is string => id !== null))];
      let events: StorefrontTouch[] = [];
      if (order.customer_key && products.length) {
        const longest = Math.max(windows.recommendationClickSeconds, windows.sponsoredClickSeconds, windows.sponsoredViewSeconds);
        const rows = await trx
          .selectFrom('storefront_events')
          .select(['id', 'type', 'occurred_at', 'customer_key', 'product_id', 'token'])
          .where('shop', '=', shop)
          .where('customer_key', '=', order.customer_key)
          .where('type', 'in', ['click', 'impression'])
          .where('product_id', 'in', products)
          .where('occurred_at', '>=', new Date(order.created_at.getTime() - longest * 1000))
          .where('occurred_at', '<=', order.created_at)
          .execute();
        events = rows.map((e) => ({ id: e.id, type: e.type, occurredAt: e.occurred_at, customerKey: e.customer_key, productId: e.product_id, token: e.token }));
      }
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
      });
      revenue = orderRevenueRow({ shop, order, lineItems, refundLines, credits, customerIdKey: deps.customerIdKey, computedAt });
    }
    await trx.deleteFrom('order_attributions').where('shop', '=', shop).where('order_id', '=', orderId).execute();
    if (credits.length) {
      await trx
        .insertInto('order_attributions')
        .values(
          credits.map((c) => ({
            shop,
            order_id: orderId,
            line_item_id: c.lineItemId,
            source: c.source,
            token: c.token,
            event_id: c.eventId,
            impression_id: c.impressionId,
            placement: c.placement,
            product_id: c.productId,
            sponsored: c.sponsored,
            campaign_id: c.campaignId,
            model_version: c.modelVersion,
            touched_at: new Date(c.touchedAtMs),
            net_minor: c.netMinor,
            currency: c.currency,
            presentment_currency: c.presentmentCurrency,
            order_created_at: c.orderCreatedAt,
            day: c.day,
            computed_at: computedAt,
          })),
        )
        .execute();
    }
    await trx.deleteFrom('order_revenue').where('shop', '=', shop).where('order_id', '=', orderId).execute();
    if (revenue) await trx.insertInto('order_revenue').values(revenue).execute();
    const days = [
      ...new Set([...before.map((r) => r.day), ...credits.map((c) => c.day), ...revenueBefore.map((r) => r.day), ...(revenue ? [revenue.day] : [])]),
    ].sort();
    await rebuildDailyRollup(trx, shop, days);
    return { credits: credits.length, days };
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
