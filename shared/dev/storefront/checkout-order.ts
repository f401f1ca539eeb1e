import { createHash } from 'node:crypto';
import { catalogIds } from '../../catalog-csv';
import { fromMinorUnits } from '../../money';
import type { SimulatedOrderPayload } from '../shopper-sessions/order-payloads';
import type { Cart } from './cart-store';

/**
 * orders/create as Shopify sends it for a storefront checkout: the REST order JSON the simulated
 * shoppers send too (shared/dev/shopper-sessions), plus the order's own `token`, the cart's and
 * the checkout's tokens, the page the shopper landed on and the channel.
 */
export type CheckoutOrderPayload = SimulatedOrderPayload & {
  token: string;
  cart_token: string;
  checkout_token: string;
  landing_site: string | null;
  source_name: 'web';
};

const hex32 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * The checkout of a cart, named by the cart's token: a cart is checked out once (afterwards the
 * shopper has a new cart), so every attempt to check it out (a double click, a retry after a
 * refused delivery) is the same checkout and makes the same order, as on Shopify.
 */
export const checkoutIdOf = (cartToken: string) => hex32(`storefront:checkout:${cartToken}`);

export interface CheckoutOrderInput {
  cart: Cart;
  /** Names the checkout: the order's and its lines' ids derive from it. */
  checkoutId: string;
  /** Epoch ms: when the shopper paid. */
  at: number;
  /** The first page the shopper was shown (path and query): the order's `landing_site`. */
  landingSite?: string | null;
  /** The logged-in shopper's Shopify customer id; the stand-in's shoppers are guests unless set. */
  customerId?: string;
}

/**
 * Whole seconds, ISO 8601 with the UTC offset, as Shopify's REST JSON writes timestamps: in the
 * shop's time zone with its offset (`2026-11-28T09:42:12-05:00`), never `Z`. The stand-in's shop
 * keeps UTC, so the offset is `+00:00`.
 */
const shopTimestamp = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');

/**
 * The order a checkout of this cart creates, as Shopify's webhook carries it: every line with its
 * line-item `properties` (the hidden `_shelfwise` token a block's add-to-cart put there included:
 * Shopify keeps underscore properties on the order), the cart attributes as `note_attributes`
 * (the tracking embed's `_shelfwise_visitor`), prices as decimal strings in the shop currency,
 * paid, no discount, tax or shipping.
 */
export function checkoutOrderPayload({ cart, checkoutId, at, landingSite = null, customerId }: CheckoutOrderInput): CheckoutOrderPayload {
  const currency = cart.currency;
  const money = (minor: number) => fromMinorUnits(minor, currency);
  const id = catalogIds.catalogId('storefront:order', checkoutId);
  // 9 digits: an order number no CSV invoice or simulated order uses (those are 6 digits and 9xx…).
  const number = 100_000_000 + (id % 800_000_000);
  const when = shopTimestamp(at);
  const total = cart.items.reduce((sum, line) => sum + line.line_price, 0);
  return {
    id,
    name: `#${number}`,
    order_number: number,
    created_at: when,
    updated_at: when,
    processed_at: when,
    currency,
    presentment_currency: currency,
    total_price: money(total),
    subtotal_price: money(total),
    current_total_price: money(total),
    total_discounts: money(0),
    total_tax: money(0),
    financial_status: 'paid',
    cancelled_at: null,
    cancel_reason: null,
    customer: customerId ? { id: Number(customerId) } : null,
    test: false,
    token: hex32(`storefront:order:${checkoutId}`),
    cart_token: cart.token,
    checkout_token: checkoutId,
    landing_site: landingSite,
    source_name: 'web',
    note_attributes: Object.entries(cart.attributes).map(([name, value]) => ({ name, value })),
    line_items: cart.items.map((line, i) => ({
      id: catalogIds.catalogId('storefront:line_item', checkoutId, String(i + 1)),
      product_id: line.product_id,
      variant_id: line.variant_id,
      title: line.title,
      quantity: line.quantity,
      price: money(line.price),
      total_discount: money(0),
      properties: Object.entries(line.properties).map(([name, value]) => ({ name, value })),
    })),
    refunds: [],
  };
}
