import { sql } from 'kysely';
import { z } from 'zod';
import { VISITOR_CART_ATTRIBUTE } from '../../shared/attribution';
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
 * customers/redact: we store no name, email or address, only a keyed pseudonym on orders (and
 * its copy in order_revenue) and the storefront visitor id a cart carried. Dropping both from the
 * customer's orders unlinks them from the person for good.
 */
export async function redactCustomer(
  db: Db,
  r: { shop: string; customerId: string | null; orderIds: string[]; customerIdKey: string },
): Promise<number> {
  const key = r.customerId ? customerPseudonym(r.customerIdKey, r.shop, r.customerId) : null;
  if (!key && !r.orderIds.length) return 0;
  const matched = await db
    .selectFrom('orders')
    .select('id')
    .where('shop', '=', r.shop)
    .where((eb) => {
      const matches = [];
      if (key) matches.push(eb('customer_key', '=', key));
      if (r.orderIds.length) matches.push(eb('id', 'in', r.orderIds));
      return eb.or(matches);
    })
    .execute();
  const ids = matched.map((o) => o.id);
  if (!ids.length) return 0;
  // The pseudonym goes, and so does the storefront visitor id the cart carried into the order
  // (the _shelfwise_visitor note attribute): either would link the orders back to the person's
  // storefront events and holdout exposures.
  const result = await db
    .updateTable('orders')
    .set({
      customer_key: null,
      note_attributes: sql`(select coalesce(jsonb_agg(a), '[]'::jsonb) from jsonb_array_elements(note_attributes) a where a->>'name' is distinct from ${VISITOR_CART_ATTRIBUTE})`,
    })
    .where('shop', '=', r.shop)
    .where('id', 'in', ids)
    .executeTakeFirst();
  // The reports' copies of both (order_revenue, docs/reports.md) go too.
  await db.updateTable('order_revenue').set({ customer_key: null, visitor_key: null }).where('shop', '=', r.shop).where('order_id', 'in', ids).execute();
  return Number(result.numUpdatedRows);
}

/**
 * Tables whose rows must go before others of the shop (foreign keys): the ledger names campaigns.
 * Every other table with a `shop` column is found in the schema, so a table added later is
 * erased too without being listed here.
 */
const ERASED_FIRST = ['sponsored_ledger', 'sponsored_daily_spend', 'sponsored_campaign_products', 'sponsored_campaigns'] as const;

/** shop/redact, 48 h after uninstall: every row of the shop goes, in every table that names a shop. */
export async function redactShop(db: Db, shop: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const table of ERASED_FIRST) await trx.deleteFrom(table).where('shop', '=', shop).execute();
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where column_name = 'shop' and table_schema = current_schema()
      order by table_name`.execute(trx);
    for (const { table_name: table } of rows) {
      if ((ERASED_FIRST as readonly string[]).includes(table)) continue;
      await sql`delete from ${sql.table(table)} where shop = ${shop}`.execute(trx);
    }
    await trx.deleteFrom('shops').where('domain', '=', shop).execute();
  });
}
