import { fromMinorUnits, toMinorUnits } from '../../money';
import { TOKEN_PROPERTY } from '../../tracking';
import { lineItemId, orderId, orderNumber, refundId, refundLineItemId, SIMULATED_ORDER_NAME_PREFIX } from './simulated-ids';
import type { PlannedOrder, VisitOutcome } from './visitor-session';

/** The order's note attribute linking it to the storefront visitor (the holdout's visitor link). */
export const VISITOR_NOTE_ATTRIBUTE = '_shelfwise_visitor';

/** A refund as Shopify's REST API writes it (refunds/create, and inside an order's `refunds`). */
export interface RefundPayload {
  id: number;
  order_id: number;
  created_at: string;
  processed_at: string;
  note: string;
  restock: boolean;
  refund_line_items: Array<{
    id: number;
    line_item_id: number;
    quantity: number;
    restock_type: 'cancel' | 'return';
    subtotal: string;
    subtotal_set: { shop_money: { amount: string; currency_code: string }; presentment_money: { amount: string; currency_code: string } };
  }>;
  transactions: [];
}

/** orders/create and orders/cancelled: Shopify's REST order JSON, the fields the app reads and a few more. */
export interface SimulatedOrderPayload {
  id: number;
  name: string;
  order_number: number;
  created_at: string;
  updated_at: string;
  processed_at: string;
  currency: string;
  presentment_currency: string;
  total_price: string;
  subtotal_price: string;
  current_total_price: string;
  total_discounts: string;
  total_tax: string;
  financial_status: 'paid' | 'refunded';
  cancelled_at: string | null;
  cancel_reason: string | null;
  customer: { id: number } | null;
  test: false;
  note_attributes: Array<{ name: string; value: string }>;
  line_items: Array<{
    id: number;
    product_id: number;
    variant_id: number | null;
    title: string;
    quantity: number;
    price: string;
    total_discount: string;
    properties: Array<{ name: string; value: string }>;
  }>;
  refunds: RefundPayload[];
}

/** Whole seconds, ISO 8601 in UTC: tokens are dated in seconds, and so are Shopify's timestamps. */
const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** When refunds and cancellations happen, after the order: in ms. */
export const REFUND_AFTER_MS = 20 * 60_000;
export const CANCEL_AFTER_MS = 10 * 60_000;

/**
 * The visit's order: block-added lines carry their token as the hidden `_shelfwise` property,
 * a consenting visitor's order names the visitor in `note_attributes`, a logged-in shopper's its customer.
 */
export function orderCreatedPayload(seed: number, visit: VisitOutcome & { order: PlannedOrder }, currency: string): SimulatedOrderPayload {
  const { order } = visit;
  const at = isoSeconds(order.placedAt);
  let subtotal = 0;
  const lineItems = order.lines.map((line, i) => {
    subtotal += line.priceMinor * line.quantity;
    return {
      id: lineItemId(seed, visit.index, i + 1),
      product_id: Number(line.productId),
      variant_id: line.variantId ? Number(line.variantId) : null,
      title: line.title,
      quantity: line.quantity,
      price: fromMinorUnits(line.priceMinor, currency),
      total_discount: fromMinorUnits(0, currency),
      properties: line.token ? [{ name: TOKEN_PROPERTY, value: line.token }] : [],
    };
  });
  const number = orderNumber(seed, visit.index);
  return {
    id: orderId(seed, visit.index),
    name: `${SIMULATED_ORDER_NAME_PREFIX}${number}`,
    order_number: number,
    created_at: at,
    updated_at: at,
    processed_at: at,
    currency,
    presentment_currency: currency,
    total_price: fromMinorUnits(subtotal, currency),
    subtotal_price: fromMinorUnits(subtotal, currency),
    current_total_price: fromMinorUnits(subtotal, currency),
    total_discounts: fromMinorUnits(0, currency),
    total_tax: fromMinorUnits(0, currency),
    financial_status: 'paid',
    cancelled_at: null,
    cancel_reason: null,
    customer: visit.customerId ? { id: Number(visit.customerId) } : null,
    test: false,
    // The tracking embed sets the cart attribute only with consent (docs/holdout.md).
    note_attributes: visit.consent ? [{ name: VISITOR_NOTE_ATTRIBUTE, value: visit.visitorId }] : [],
    line_items: lineItems,
    refunds: [],
  };
}

/** A refund of `units` of each listed line (restocked as a return, or cancelled), `at` epoch ms. */
function refundOf(seed: number, visitIndex: number, order: SimulatedOrderPayload, lines: Array<{ position: number; units: number }>, at: number, currency: string, kind: 'return' | 'cancel'): RefundPayload {
  const when = isoSeconds(at);
  return {
    id: refundId(seed, visitIndex),
    order_id: order.id,
    created_at: when,
    processed_at: when,
    note: kind === 'cancel' ? 'Order cancelled' : 'Returned by the customer',
    restock: true,
    refund_line_items: lines.map(({ position, units }) => {
      const line = order.line_items[position]!;
      const amount = fromMinorUnits(units * toMinorUnits(line.price, currency), currency);
      const money = { amount, currency_code: currency };
      return { id: refundLineItemId(seed, visitIndex, position + 1), line_item_id: line.id, quantity: units, restock_type: kind, subtotal: amount, subtotal_set: { shop_money: money, presentment_money: money } };
    }),
    transactions: [],
  };
}

/** refunds/create: one unit of the order's first line comes back. */
export function refundPayload(seed: number, visit: VisitOutcome & { order: PlannedOrder }, order: SimulatedOrderPayload, currency: string): RefundPayload {
  return refundOf(seed, visit.index, order, [{ position: 0, units: 1 }], visit.order.placedAt + REFUND_AFTER_MS, currency, 'return');
}

/** orders/cancelled: the order as it is after cancellation, its full refund listed. */
export function orderCancelledPayload(seed: number, visit: VisitOutcome & { order: PlannedOrder }, order: SimulatedOrderPayload, currency: string): SimulatedOrderPayload {
  const at = visit.order.placedAt + CANCEL_AFTER_MS;
  const refund = refundOf(seed, visit.index, order, order.line_items.map((l, position) => ({ position, units: l.quantity })), at, currency, 'cancel');
  return {
    ...order,
    updated_at: isoSeconds(at),
    cancelled_at: isoSeconds(at),
    cancel_reason: 'customer',
    financial_status: 'refunded',
    current_total_price: fromMinorUnits(0, currency),
    refunds: [refund],
  };
}
