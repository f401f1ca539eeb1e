import { sql } from 'kysely';
import type { Db } from '../../../shared/db';
import type { ExpectedStore } from './deliveries';

export interface StoreCheck {
  /** Entities expected: products + orders (at their newest version) + refunds. */
  expected: number;
  /** Of those, found exactly as expected. */
  stored: number;
  /** Expected but missing, or found at an older version: a lost delivery. */
  lost: string[];
  /** Child rows beyond one per parent (variants, order lines, refund lines). */
  duplicatedRows: number;
  /** Rows of this shop that nothing sent explains. */
  unexpected: string[];
}

/**
 * Compares the store with what was sent: every product at its newest title, every order with
 * its newest line quantity, every refund present; exactly one variant, order line and refund
 * line each (children are replaced, never appended).
 */
export async function checkStore(db: Db, shop: string, expected: ExpectedStore): Promise<StoreCheck> {
  const lost: string[] = [];
  const unexpected: string[] = [];
  let stored = 0;
  const products = await db.selectFrom('products').select(['id', 'title']).where('shop', '=', shop).execute();
  const productTitles = new Map(products.map((p) => [String(p.id), p.title]));
  for (const [id, title] of expected.products) {
    if (productTitles.get(id) === title) stored += 1;
    else lost.push(`product ${id}: ${productTitles.get(id) ?? 'missing'} instead of ${title}`);
  }
  for (const id of productTitles.keys()) if (!expected.products.has(id)) unexpected.push(`product ${id}`);

  const lines = await db.selectFrom('order_line_items').select(['order_id', 'quantity']).where('shop', '=', shop).execute();
  const orders = await db.selectFrom('orders').select('id').where('shop', '=', shop).execute();
  const quantity = new Map(lines.map((l) => [String(l.order_id), l.quantity]));
  for (const [id, q] of expected.orders) {
    if (quantity.get(id) === q) stored += 1;
    else lost.push(`order ${id}: quantity ${quantity.get(id) ?? 'missing'} instead of ${q}`);
  }
  for (const o of orders) if (!expected.orders.has(String(o.id))) unexpected.push(`order ${o.id}`);

  const refunds = await db.selectFrom('refunds').select('id').where('shop', '=', shop).execute();
  const refundIds = new Set(refunds.map((r) => String(r.id)));
  for (const id of expected.refunds) {
    if (refundIds.has(id)) stored += 1;
    else lost.push(`refund ${id}: missing`);
  }
  for (const id of refundIds) if (!expected.refunds.has(id)) unexpected.push(`refund ${id}`);

  const extra = async (table: 'product_variants' | 'order_line_items' | 'refund_line_items', parent: string) => {
    const { rows } = await sql<{ extra: string }>`
      select coalesce(sum(n - 1), 0)::text as extra from (select count(*) as n from ${sql.table(table)} where shop = ${shop} group by ${sql.ref(parent)}) per_parent`.execute(db);
    return Number(rows[0]?.extra ?? 0);
  };
  const duplicatedRows = (await extra('product_variants', 'product_id')) + (await extra('order_line_items', 'order_id')) + (await extra('refund_line_items', 'refund_id'));
  return { expected: expected.products.size + expected.orders.size + expected.refunds.size, stored, lost, duplicatedRows, unexpected };
}
