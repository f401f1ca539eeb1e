import { lineNetMinor, orderCounts, orderVisitorId, utcDay, type LineCredit } from '../../shared/attribution';
import { customerPseudonym } from '../../shared/crypto';
import type { Insertable } from 'kysely';
import type { Order, OrderRevenueTable } from '../../shared/db';

/** What an order_revenue row is computed from: the order as stored, its lines, refunds and credits. */
export interface OrderRevenueInput {
  shop: string;
  order: Order;
  lineItems: ReadonlyArray<{ id: string; quantity: number; price_minor: number; total_discount_minor: number }>;
  refundLines: ReadonlyArray<{ line_item_id: string; subtotal_minor: number }>;
  credits: readonly LineCredit[];
  /** CUSTOMER_ID_KEY: the visitor pseudonym is the events endpoint's. */
  customerIdKey: string;
  computedAt: Date;
}

/**
 * The order's order_revenue row, or null when the order does not count (cancelled or a test).
 * Its net is the attribution engine's net rule summed over every line (credited or not).
 */
export function orderRevenueRow(input: OrderRevenueInput): Insertable<OrderRevenueTable> | null {
  const { shop, order, credits } = input;
  if (!orderCounts({ test: order.test, cancelledAt: order.cancelled_at })) return null;
  const refunded = new Map<string, number>();
  for (const r of input.refundLines) refunded.set(r.line_item_id, (refunded.get(r.line_item_id) ?? 0) + r.subtotal_minor);
  let net = 0;
  for (const li of input.lineItems) {
    net += lineNetMinor({ priceMinor: li.price_minor, quantity: li.quantity, totalDiscountMinor: li.total_discount_minor, refundedMinor: refunded.get(li.id) ?? 0 });
  }
  let recommendation = 0;
  let sponsored = 0;
  for (const c of credits) {
    if (c.sponsored) sponsored += c.netMinor;
    else recommendation += c.netMinor;
  }
  const visitorId = orderVisitorId(order.note_attributes);
  const createdAt = order.created_at;
  return {
    shop,
    order_id: order.id,
    day: utcDay(createdAt),
    currency: order.currency,
    presentment_currency: order.presentment_currency,
    net_minor: net,
    attributed_minor: recommendation + sponsored,
    recommendation_minor: recommendation,
    sponsored_minor: sponsored,
    has_recommendation: recommendation + sponsored > 0,
    visitor_key: visitorId ? customerPseudonym(input.customerIdKey, shop, `visitor:${visitorId}`) : null,
    customer_key: order.customer_key,
    order_created_at: createdAt,
    computed_at: input.computedAt,
  };
}
