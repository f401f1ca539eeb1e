import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../shared/db';
import { PurchaseLogBuilder, type PurchaseLog } from '../recommend/evaluation';
import type { CatalogProduct } from '../recommend/placements';

const SEPARATOR = '\u001f';

/** What a training run learns from, read from the store at one moment. */
export interface StoreSnapshot {
  log: PurchaseLog;
  products: CatalogProduct[];
  /**
   * sha256 of exactly what training sees (every kept line in order, every product's code and
   * text): equal fingerprints mean an identical fit, so the run can be skipped.
   */
  fingerprint: string;
}

/** A product's text for content models: title, type, vendor, tags and description. */
function productText(p: { title: string; product_type: string | null; vendor: string | null; tags: unknown; body_text: string }): string {
  const tags = Array.isArray(p.tags) ? (p.tags as unknown[]).map(String) : [];
  return [p.title, p.product_type ?? '', p.vendor ?? '', tags.join(' '), p.body_text].map((s) => s.trim()).filter(Boolean).join(' ');
}

/**
 * Reads a shop's purchases and products into the protocol's PurchaseLog: invoice = order id,
 * stock code = product id, customer = customer_key (a guest order has none), time =
 * processed_at, else created_at, in epoch seconds. Cancelled and test orders, line items without
 * a product and lines with no quantity or no price are left out (the protocol's cleaning drops
 * quantity <= 0 and price <= 0: a zero-price line is a stock movement or a free gift, not a
 * choice the customer made). Rows come ordered by time, order id and
 * line position, so the same store always builds the same log.
 */
export async function snapshotStore(db: Db, shop: string): Promise<StoreSnapshot> {
  const productRows = await db
    .selectFrom('products')
    .select(['id', 'title', 'product_type', 'vendor', 'tags', 'body_text'])
    .where('shop', '=', shop)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  const products: CatalogProduct[] = productRows.map((p) => ({ code: p.id, text: productText(p) }));
  const textOf = new Map(products.map((p) => [p.code, p.text]));

  // One row per order, its lines joined into two strings (ids, titles) by a separator no id or
  // title holds: a twentieth of the rows a line-per-row read returns, and no array parsing.
  const orders = await db
    .selectFrom('orders as o')
    .innerJoin('order_line_items as li', (join) => join.onRef('li.shop', '=', 'o.shop').onRef('li.order_id', '=', 'o.id'))
    .select([
      'o.id',
      'o.customer_key',
      sql<number>`extract(epoch from coalesce(o.processed_at, o.created_at))::float8`.as('at'),
      sql<string>`string_agg(li.product_id, chr(31) order by li.position, li.id)`.as('product_ids'),
      sql<string>`string_agg(replace(coalesce(li.title, ''), chr(31), ' '), chr(31) order by li.position, li.id)`.as('titles'),
    ])
    .where('o.shop', '=', shop)
    .where('o.cancelled_at', 'is', null)
    .where('o.test', '=', false)
    .where('li.product_id', 'is not', null)
    .where('li.quantity', '>', 0)
    .where('li.price_minor', '>', 0)
    .groupBy(['o.id', 'o.customer_key', 'o.processed_at', 'o.created_at'])
    .orderBy('at')
    .orderBy('o.id')
    .execute();

  const builder = new PurchaseLogBuilder();
  const hash = createHash('sha256');
  for (const o of orders) {
    const time = Math.floor(Number(o.at));
    hash.update(`o\u0000${o.id}\u0000${o.customer_key ?? ''}\u0000${time}\u0000${o.product_ids}\n`);
    const titles = o.titles.split(SEPARATOR);
    o.product_ids.split(SEPARATOR).forEach((productId, at) => {
      const description = textOf.get(productId) ?? titles[at] ?? '';
      builder.add({ invoice: o.id, stockCode: productId, customerId: o.customer_key, time, description });
    });
  }
  for (const p of products) hash.update(`p\u0000${p.code}\u0000${p.text}\n`);
  return { log: builder.build(), products, fingerprint: hash.digest('hex') };
}
