import type { Db } from '../../db';
import { SIMULATED_ORDER_NAME_PREFIX } from './simulated-ids';

/**
 * Units sold per product, as a derived table `s (product_id, sold)`, leaving out the
 * simulation's own orders: a second run ranks products as the first did, so it browses, and
 * picks demo products, the same way.
 */
export function unitsSold(db: Db, shop: string) {
  return db
    .selectFrom('order_line_items as li')
    .innerJoin('orders as o', (join) => join.onRef('o.shop', '=', 'li.shop').onRef('o.id', '=', 'li.order_id'))
    .select(['li.product_id', (b) => b.fn.sum<string>('li.quantity').as('sold')])
    .where('li.shop', '=', shop)
    .where('li.product_id', 'is not', null)
    .where('o.name', 'not like', `${SIMULATED_ORDER_NAME_PREFIX}%`)
    .groupBy('li.product_id')
    .as('s');
}
