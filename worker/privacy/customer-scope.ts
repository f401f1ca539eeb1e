import { orderVisitorId } from '../../shared/attribution';
import { customerPseudonym } from '../../shared/crypto';
import type { ExpressionBuilder } from 'kysely';
import type { Database, Db } from '../../shared/db';

/** Whom a data request or a redaction is about, in the identities we store. */
export interface CustomerScope {
  shop: string;
  /** The per-shop pseudonym of the Shopify customer id; null when the payload named no customer. */
  customerKey: string | null;
  /** Orders of the customer we hold: those with their pseudonym and those the payload listed. */
  orderIds: string[];
  /** The order ids the payload listed, held or not (one may still arrive: a redaction remembers it). */
  listedOrderIds: string[];
  /**
   * Storefront visitor pseudonyms linked to them: the visitor ids their orders' carts carried
   * (as order_revenue stores them) and the visitors of events sent while they were logged in.
   */
  visitorKeys: string[];
}

/**
 * Finds the rows that belong to a customer. We never store the Shopify id, only its keyed
 * pseudonym, so the payload's id is pseudonymised with the same key first; events reach the
 * customer through the visitor pseudonyms their orders carried and the customer pseudonym events
 * carry when the shopper was logged in (both only with analytics consent).
 */
export async function customerScope(
  db: Db,
  input: { shop: string; customerId: string | null; orderIds: readonly string[]; customerIdKey: string },
): Promise<CustomerScope> {
  const { shop, customerIdKey } = input;
  const customerKey = input.customerId ? customerPseudonym(customerIdKey, shop, input.customerId) : null;
  const listed = [...new Set(input.orderIds)];
  const orders =
    customerKey || listed.length
      ? await db
          .selectFrom('orders')
          .select(['id', 'note_attributes'])
          .where('shop', '=', shop)
          .where((eb) => eb.or([...(customerKey ? [eb('customer_key', '=', customerKey)] : []), ...(listed.length ? [eb('id', 'in', listed)] : [])]))
          .orderBy('id')
          .execute()
      : [];
  const orderIds = orders.map((o) => o.id);
  const visitorKeys = new Set<string>();
  for (const o of orders) {
    const visitorId = orderVisitorId(Array.isArray(o.note_attributes) ? o.note_attributes : []);
    if (visitorId) visitorKeys.add(customerPseudonym(customerIdKey, shop, `visitor:${visitorId}`));
  }
  if (orderIds.length) {
    const revenue = await db.selectFrom('order_revenue').select('visitor_key').where('shop', '=', shop).where('order_id', 'in', orderIds).where('visitor_key', 'is not', null).execute();
    for (const r of revenue) visitorKeys.add(r.visitor_key!);
  }
  if (customerKey) {
    const visitors = await db
      .selectFrom('storefront_events')
      .select('visitor_key')
      .distinct()
      .where('shop', '=', shop)
      .where('customer_key', '=', customerKey)
      .where('visitor_key', 'is not', null)
      .execute();
    for (const v of visitors) visitorKeys.add(v.visitor_key!);
  }
  return { shop, customerKey, orderIds, listedOrderIds: listed, visitorKeys: [...visitorKeys].sort() };
}

/**
 * The customer's storefront events: those sent while they were logged in, and those of their
 * visitors sent while nobody else was (a browser shared with another customer who logged in on
 * it carries that customer's events too: those are not this customer's to export or erase).
 */
export function customerEvents(scope: Pick<CustomerScope, 'customerKey' | 'visitorKeys'>) {
  const { customerKey, visitorKeys } = scope;
  return (eb: ExpressionBuilder<Database, 'storefront_events'>) =>
    eb.or([
      ...(customerKey ? [eb('customer_key', '=', customerKey)] : []),
      ...(visitorKeys.length
        ? [eb.and([eb('visitor_key', 'in', visitorKeys), customerKey ? eb.or([eb('customer_key', 'is', null), eb('customer_key', '=', customerKey)]) : eb('customer_key', 'is', null)])]
        : []),
    ]);
}
