import { sql } from 'kysely';
import { z } from 'zod';
import { customerPseudonym } from '../../shared/crypto';
import type { Db } from '../../shared/db';

const id = z.union([z.number().int(), z.string()]).transform(String);

export const customersRedactPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }).nullish(),
  orders_to_redact: z.array(id).nullish(),
});
export const shopRedactPayload = z.object({ shop_domain: z.string() });

/**
 * customers/redact: we store no name, email or address, only a keyed pseudonym on orders.
 * Dropping the pseudonym from the customer's orders unlinks them from the person for good.
 */
export async function redactCustomer(
  db: Db,
  r: { shop: string; customerId: string | null; orderIds: string[]; customerIdKey: string },
): Promise<number> {
  const key = r.customerId ? customerPseudonym(r.customerIdKey, r.shop, r.customerId) : null;
  if (!key && !r.orderIds.length) return 0;
  const result = await db
    .updateTable('orders')
    .set({ customer_key: null })
    .where('shop', '=', r.shop)
    .where((eb) => {
      const matches = [];
      if (key) matches.push(eb('customer_key', '=', key));
      if (r.orderIds.length) matches.push(eb('id', 'in', r.orderIds));
      return eb.or(matches);
    })
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** shop/redact, 48 h after uninstall: every row of the shop goes. */
export async function redactShop(db: Db, shop: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const table of [
      'order_attributions',
      'attribution_daily',
      'attribution_settings',
      'refund_line_items',
      'refunds',
      'order_line_items',
      'orders',
      'product_variants',
      'products',
      'shopify_sessions',
    ] as const) {
      await trx.deleteFrom(table).where('shop', '=', shop).execute();
    }
    // Model versions and training status (worker/train's tables) go with the shop.
    await sql`delete from model_versions where shop = ${shop}`.execute(trx);
    await sql`delete from training_status where shop = ${shop}`.execute(trx);
    await trx.deleteFrom('shops').where('domain', '=', shop).execute();
  });
}
