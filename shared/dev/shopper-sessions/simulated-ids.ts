import { createHash } from 'node:crypto';
import { catalogIds } from '../../catalog-csv';

const { catalogId, namedUuid } = catalogIds;

/**
 * Every id the simulation sends is derived from the seed and what the thing is (visitor 17's
 * order, its second line…), never from a counter or the clock: a second run with the same seed
 * repeats the webhook ids (answered as duplicates), the event ids (stored once, by receipt) and
 * the order ids (an upsert of the same order). The kinds are prefixed `shopper-sessions` so they
 * never meet the ids the catalog replay derives from the CSV.
 */
const KIND = 'shopper-sessions';

const hex = (...parts: Array<string | number>) => createHash('sha256').update([KIND, ...parts].join('\u0000')).digest('hex');

/** The id the block keeps in localStorage (8-64 of [0-9A-Za-z_-]). */
export const visitorId = (seed: number, visitor: number) => `sim${hex('visitor', seed, visitor).slice(0, 21)}`;
/** A Shopify customer id for a logged-in shopper (16 digits). */
export const customerId = (seed: number, visitor: number) => catalogId(`${KIND}:customer`, String(seed), String(visitor));
export const orderId = (seed: number, visitor: number) => catalogId(`${KIND}:order`, String(seed), String(visitor));
/** Simulated orders are named `#SIM-<number>`: unmistakable in the admin, and easy to leave out. */
export const SIMULATED_ORDER_NAME_PREFIX = '#SIM-';
/** The order's `order_number` (9 digits). */
export const orderNumber = (seed: number, visitor: number) => 900_000_000 + (parseInt(hex('order-number', seed, visitor).slice(0, 8), 16) % 99_999_999);
export const lineItemId = (seed: number, visitor: number, position: number) => catalogId(`${KIND}:line_item`, String(seed), String(visitor), String(position));
export const refundId = (seed: number, visitor: number) => catalogId(`${KIND}:refund`, String(seed), String(visitor));
export const refundLineItemId = (seed: number, visitor: number, position: number) => catalogId(`${KIND}:refund_line`, String(seed), String(visitor), String(position));
/** A storefront event id (the block's UUID): 32 hex digits. */
export const eventId = (seed: number, visitor: number, page: number, n: number) => hex('event', seed, visitor, page, n).slice(0, 32);
/** X-Shopify-Webhook-Id and X-Shopify-Event-Id of one delivery (UUID-shaped). */
export const webhookIds = (topic: string, seed: number, what: string) => ({
  webhookId: namedUuid(KIND, 'webhook', topic, String(seed), what),
  eventId: namedUuid(KIND, 'event', topic, String(seed), what),
});

/**
 * The shopper's address as Shopify's proxy forwards it: one per visitor, from 198.18.0.0/15
 * (RFC 2544, set aside for benchmarking: never a real shopper's address).
 */
export function shopperAddress(visitor: number): string {
  const n = visitor % 131_072;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`;
}
