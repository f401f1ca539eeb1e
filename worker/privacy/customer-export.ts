import type { Db } from '../../shared/db';
import type { Redis } from '../../shared/redis';
import { customerEvents, type CustomerScope } from './customer-scope';
import { readCustomerLists, type CustomerLists } from './customer-lists';

/** The export's format name; bump it when its shape changes. */
export const EXPORT_FORMAT = 'shelfwise-customer-data/1';

/**
 * Everything we hold about one customer, for the merchant to hand over (customers/data_request).
 * Identities appear as the pseudonyms we store: we never had the name, email, phone or address.
 */
export interface CustomerDataExport {
  format: typeof EXPORT_FORMAT;
  shop: string;
  dataRequestId: string;
  generatedAt: string;
  /** What the export covers and what it does not (nothing else is stored about the customer). */
  notes: string[];
  customerKey: string | null;
  visitorKeys: string[];
  /** Order ids the request listed that we do not hold. */
  ordersNotHeld: string[];
  orders: Array<Record<string, unknown> & { line_items: Array<Record<string, unknown>>; refunds: Array<Record<string, unknown>> }>;
  /** Impressions, clicks and add-to-carts of the customer's visitors or sent while logged in (with analytics consent only). */
  storefrontEvents: Array<Record<string, unknown>>;
  /** The days a block asked for recommendations for one of their visitors, and the holdout group. */
  holdoutExposures: Array<Record<string, unknown>>;
  /** Which recommendation or sponsored slot each of their order lines was credited to. */
  attributions: Array<Record<string, unknown>>;
  /** Sponsored clicks of their visitors as the ledger records them. */
  sponsoredClicks: Array<Record<string, unknown>>;
  /** Derived data: the published lists keyed by their pseudonym. */
  recommendations: CustomerLists | null;
}

const NOTES = [
  'Customers are stored only as a keyed pseudonym per shop; no name, email, phone or address is kept.',
  'Storefront events are kept only when the shopper gave analytics consent, for EVENT_RETENTION_DAYS days.',
  'Daily counts and report totals hold no identity and are not part of this export.',
];

/** Builds the export of a customer from the database and the published lists. */
export async function exportCustomerData(
  deps: { db: Db; redis?: Redis; prefix?: string },
  input: { scope: CustomerScope; dataRequestId: string; ordersRequested: readonly string[]; now: Date },
): Promise<CustomerDataExport> {
  const { db } = deps;
  const { scope } = input;
  const { shop, orderIds, visitorKeys, customerKey } = scope;
  const orders = orderIds.length
    ? await db
        .selectFrom('orders')
        .select(['id', 'name', 'created_at', 'updated_at', 'processed_at', 'currency', 'presentment_currency', 'total_price_minor', 'current_total_price_minor', 'subtotal_price_minor', 'total_discounts_minor', 'financial_status', 'cancelled_at', 'customer_key', 'landing_site', 'note_attributes', 'test'])
        .where('shop', '=', shop)
        .where('id', 'in', orderIds)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    : [];
  const lines = orderIds.length
    ? await db
        .selectFrom('order_line_items')
        .select(['id', 'order_id', 'product_id', 'variant_id', 'title', 'quantity', 'price_minor', 'total_discount_minor', 'properties', 'position'])
        .where('shop', '=', shop)
        .where('order_id', 'in', orderIds)
        .orderBy('order_id')
        .orderBy('position')
        .execute()
    : [];
  const refunds = orderIds.length
    ? await db.selectFrom('refunds').select(['id', 'order_id', 'created_at']).where('shop', '=', shop).where('order_id', 'in', orderIds).orderBy('created_at').execute()
    : [];
  const refundLines = orderIds.length
    ? await db.selectFrom('refund_line_items').select(['refund_id', 'line_item_id', 'quantity', 'subtotal_minor']).where('shop', '=', shop).where('order_id', 'in', orderIds).execute()
    : [];
  const events =
    customerKey || visitorKeys.length
      ? await db
          .selectFrom('storefront_events')
          .select(['id', 'type', 'occurred_at', 'received_at', 'visitor_key', 'customer_key', 'placement', 'product_id', 'position', 'model_version', 'sponsored', 'variant_id', 'quantity'])
          .where('shop', '=', shop)
          .where(customerEvents({ customerKey, visitorKeys }))
          .orderBy('occurred_at')
          .orderBy('id')
          .execute()
      : [];
  const exposures = visitorKeys.length
    ? await db.selectFrom('holdout_exposures').select(['day', 'visitor_key', 'grp', 'first_seen_at']).where('shop', '=', shop).where('visitor_key', 'in', visitorKeys).orderBy('day').orderBy('visitor_key').execute()
    : [];
  const attributions = orderIds.length
    ? await db
        .selectFrom('order_attributions')
        .select(['order_id', 'line_item_id', 'source', 'placement', 'product_id', 'sponsored', 'campaign_id', 'model_version', 'touched_at', 'net_minor', 'currency'])
        .where('shop', '=', shop)
        .where('order_id', 'in', orderIds)
        .orderBy('order_id')
        .orderBy('line_item_id')
        .execute()
    : [];
  const clicks = visitorKeys.length
    ? await db
        .selectFrom('sponsored_ledger')
        .select(['event_id', 'campaign_id', 'product_id', 'placement', 'visitor_key', 'amount_minor', 'currency', 'status', 'clicked_at'])
        .where('shop', '=', shop)
        .where('visitor_key', 'in', visitorKeys)
        .orderBy('clicked_at')
        .execute()
    : [];
  const recommendations = customerKey && deps.redis && deps.prefix !== undefined ? await readCustomerLists(deps.redis, deps.prefix, shop, customerKey) : null;
  const held = new Set(orderIds);
  return {
    format: EXPORT_FORMAT,
    shop,
    dataRequestId: input.dataRequestId,
    generatedAt: input.now.toISOString(),
    notes: NOTES,
    customerKey,
    visitorKeys,
    ordersNotHeld: input.ordersRequested.filter((id) => !held.has(id)),
    orders: orders.map((o) => ({
      ...o,
      line_items: lines.filter((l) => l.order_id === o.id).map(({ order_id: _order, ...l }) => l),
      refunds: refunds
        .filter((r) => r.order_id === o.id)
        .map((r) => ({ id: r.id, created_at: r.created_at, line_items: refundLines.filter((l) => l.refund_id === r.id).map(({ refund_id: _refund, ...l }) => l) })),
    })),
    storefrontEvents: events,
    holdoutExposures: exposures,
    attributions,
    sponsoredClicks: clicks,
    recommendations,
  };
}
