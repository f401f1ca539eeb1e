import type { OrderStanding } from './net-revenue';

/** The order as attribution needs it (orders row). */
export interface AttributionOrder extends OrderStanding {
  id: string;
  createdAt: Date;
  /** The shop's currency: every amount of the order is in its minor units. */
  currency: string;
  /** The currency the shopper paid in, kept for reports. */
  presentmentCurrency: string | null;
  /** Per-shop pseudonym of the customer; the same as consented storefront events carry. */
  customerKey: string | null;
  /** Cart attributes: `_shelfwise` or `shelfwise_token` may carry tokens. */
  noteAttributes: ReadonlyArray<{ name: string; value: string }>;
}

/** One order line (order_line_items row); money in minor units of the order currency. */
export interface AttributionLine {
  id: string;
  productId: string | null;
  quantity: number;
  priceMinor: number;
  totalDiscountMinor: number;
  properties: ReadonlyArray<{ name: string; value: string }>;
}

/** One refunded line of one refund (refund_line_items row). */
export interface AttributionRefundLine {
  lineItemId: string;
  subtotalMinor: number;
}

/** A consented storefront event (storefront_events row) that may have led to the order. */
export interface StorefrontTouch {
  id: string;
  type: 'impression' | 'click' | 'add_to_cart';
  occurredAt: Date;
  customerKey: string | null;
  productId: string;
  token: string;
}
