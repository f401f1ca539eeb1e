import { sql } from 'kysely';
import type { Db } from '../../shared/db';
import { VISITOR_CART_ATTRIBUTE } from '../../shared/attribution';
import { InvalidInputError } from '../../shared/errors';
import { redactedCustomerKey } from '../../shared/privacy';
import type { OrderRecord } from './records';
import { applyRefund } from './refunds';
import type { UpsertOutcome } from './products';
import { versionHash } from './version-hash';

/**
 * Cart token, checkout token and landing site are fixed when the order is placed, and only
 * webhooks carry them (a bulk-operation order has none). A version without them must not erase
 * them, and a stale version that has them still fills them in: whichever source arrives last,
 * the order keeps them.
 */
const SESSION_FIELDS = ['cart_token', 'checkout_token', 'landing_site'] as const;
const keepKnownSessionFields = Object.fromEntries(
  SESSION_FIELDS.map((column) => [column, sql`coalesce(excluded.${sql.ref(column)}, orders.${sql.ref(column)})`]),
);

async function fillSessionFields(trx: Pick<Db, 'updateTable'>, o: OrderRecord): Promise<void> {
  await trx
    .updateTable('orders')
    .set({
      cart_token: sql`coalesce(cart_token, ${o.cartToken})`,
      checkout_token: sql`coalesce(checkout_token, ${o.checkoutToken})`,
      landing_site: sql`coalesce(landing_site, ${o.landingSite})`,
    })
    .where('shop', '=', o.shop)
    .where('id', '=', o.id)
    .where((eb) => eb.or(SESSION_FIELDS.map((column) => eb(column, 'is', null))))
    .execute();
}

/**
 * Writes an order version unless the stored one is newer (by `updated_at`, then by content
 * hash), replacing its line items in the same transaction. orders/create, paid, updated and
 * cancelled all carry the whole order, so the newest one is the truth; refunds it lists are
 * applied idempotently whether or not the version wins.
 */
export async function upsertOrder(db: Db, o: OrderRecord): Promise<UpsertOutcome> {
  const { refunds, ...content } = o;
  // An order whose customer was redacted (before it was placed) or that was itself redacted
  // (migration 0017) is written without the pseudonym and the visitor id its cart carried.
  const redacted = sql<boolean>`exists (select 1 from redactions r where r.shop = ${o.shop} and (
    (r.kind = 'order' and r.key = ${o.id}) or (r.kind = 'customer' and r.key = ${o.customerKey === null ? null : redactedCustomerKey(o.customerKey)} and r.redacted_at >= ${o.createdAt})))`;
  const noteAttributes = JSON.stringify(o.noteAttributes);
  const row = {
    shop: o.shop,
    id: o.id,
    name: o.name,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    processed_at: o.processedAt,
    currency: o.currency,
    presentment_currency: o.presentmentCurrency,
    total_price_minor: o.totalPriceMinor,
    current_total_price_minor: o.currentTotalPriceMinor,
    subtotal_price_minor: o.subtotalPriceMinor,
    total_discounts_minor: o.totalDiscountsMinor,
    financial_status: o.financialStatus,
    cancelled_at: o.cancelledAt,
    customer_key: o.customerKey === null ? null : sql<string | null>`case when ${redacted} then null else ${o.customerKey} end`,
    cart_token: o.cartToken,
    checkout_token: o.checkoutToken,
    landing_site: o.landingSite,
    note_attributes: o.noteAttributes.some((a) => a.name === VISITOR_CART_ATTRIBUTE)
      ? sql<string>`case when ${redacted}
          then (select coalesce(jsonb_agg(a), '[]'::jsonb) from jsonb_array_elements(${noteAttributes}::jsonb) a where a->>'name' is distinct from ${VISITOR_CART_ATTRIBUTE})
          else ${noteAttributes}::jsonb end`
      : noteAttributes,
    test: o.test,
    version_hash: versionHash(content),
  };
  return db.transaction().execute(async (trx) => {
    const written = await trx
      .insertInto('orders')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['shop', 'id'])
          .doUpdateSet((eb) => {
            const { shop: _shop, id: _id, ...columns } = row;
            return {
              ...Object.fromEntries(
                Object.keys(columns).map((column) => [column, eb.ref(`excluded.${column}` as 'excluded.name')]),
              ),
              ...keepKnownSessionFields,
            };
          })
          .where(sql<boolean>`(orders.updated_at, orders.version_hash) < (excluded.updated_at, excluded.version_hash)`),
      )
      // xmax = 0 on the returned row means it was inserted, not updated: no old children to drop.
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .executeTakeFirst();
    for (const refund of refunds) await applyRefund(trx, refund);
    if (!written) {
      if (o.cartToken || o.checkoutToken || o.landingSite) await fillSessionFields(trx, o);
      return 'stale';
    }
    if (!written.inserted) await trx.deleteFrom('order_line_items').where('shop', '=', o.shop).where('order_id', '=', o.id).execute();
    if (o.lineItems.length) {
      const stored = await trx
        .insertInto('order_line_items')
        .values(
          o.lineItems.map((li, position) => ({
            shop: o.shop,
            id: li.id,
            order_id: o.id,
            product_id: li.productId,
            variant_id: li.variantId,
            title: li.title,
            quantity: li.quantity,
            price_minor: li.priceMinor,
            total_discount_minor: li.totalDiscountMinor,
            properties: JSON.stringify(li.properties),
            position,
          })),
        )
        // Line item ids are unique in a shop: one stored under another order, or repeated in this
        // one, makes the payload malformed (the transaction is rolled back, nothing is written).
        .onConflict((oc) => oc.columns(['shop', 'id']).doNothing())
        .returning('id')
        .execute();
      if (stored.length < o.lineItems.length) {
        const kept = new Set(stored.map((li) => li.id));
        const refused = [...new Set(o.lineItems.map((li) => li.id).filter((id) => !kept.has(id)))];
        throw new InvalidInputError(`order ${o.id}: line item ids repeated or already stored under another order of the shop`, refused.slice(0, 10));
      }
    }
    return 'applied';
  });
}
