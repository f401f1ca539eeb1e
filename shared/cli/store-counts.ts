import { sql } from 'kysely';
import type { Db } from '../db';

export interface StoreCounts {
  products: number;
  availableProducts: number;
  variants: number;
  orders: number;
  cancelledOrders: number;
  lineItems: number;
  refunds: number;
  customers: number;
}

/** What landed in the store for one shop. */
export async function storeCounts(db: Db, shop: string): Promise<StoreCounts> {
  const { rows } = await sql<Record<keyof StoreCounts, string | number>>`
    select
      (select count(*) from products where shop = ${shop} and deleted_at is null) as "products",
      (select count(*) from products where shop = ${shop} and available) as "availableProducts",
      (select count(*) from product_variants where shop = ${shop}) as "variants",
      (select count(*) from orders where shop = ${shop}) as "orders",
      (select count(*) from orders where shop = ${shop} and cancelled_at is not null) as "cancelledOrders",
      (select count(*) from order_line_items where shop = ${shop}) as "lineItems",
      (select count(*) from refunds where shop = ${shop}) as "refunds",
      (select count(distinct customer_key) from orders where shop = ${shop}) as "customers"
  `.execute(db);
  const row = rows[0]!;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as StoreCounts;
}
