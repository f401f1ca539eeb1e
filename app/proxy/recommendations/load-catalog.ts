import { sql } from 'kysely';
import type { Db } from '../../../shared/db';
import { listMerchantRules } from '../../../shared/storefront';
import { buildCatalog } from './build-catalog';
import type { StorefrontCatalog } from './catalog';

/**
 * Reads a shop's catalog and merchant rules (five queries at once) into memory. An unknown shop
 * gets an empty catalog: its blocks answer an empty list.
 */
export async function loadCatalog(db: Db, shop: string): Promise<StorefrontCatalog> {
  const [shopRow, products, variants, collections, rules] = await Promise.all([
    db.selectFrom('shops').select('currency').where('domain', '=', shop).executeTakeFirst(),
    db
      .selectFrom('products')
      .select(['id', 'title', 'handle', 'vendor', 'product_type', 'tags', 'status', 'published_at', 'available', 'min_price', 'image_url', 'deleted_at'])
      .where('shop', '=', shop)
      .execute(),
    db
      .selectFrom('product_variants')
      .select(['product_id', 'id', 'price'])
      .where('shop', '=', shop)
      .where('available', '=', true)
      .orderBy('product_id')
      .orderBy('position')
      .orderBy('id')
      .execute(),
    db.selectFrom('product_collections').select(['product_id', 'collection_id', 'collection_handle']).where('shop', '=', shop).execute(),
    listMerchantRules(db, shop),
  ]);
  const firstVariant = new Map<string, string>();
  const firstVariantPrice = new Map<string, string>();
  for (const v of variants) {
    if (firstVariant.has(v.product_id)) continue;
    firstVariant.set(v.product_id, v.id);
    firstVariantPrice.set(v.product_id, String(v.price));
  }
  const memberOf = new Map<string, string[]>();
  for (const c of collections) {
    let list = memberOf.get(c.product_id);
    if (!list) memberOf.set(c.product_id, (list = []));
    list.push(c.collection_id);
    if (c.collection_handle) list.push(c.collection_handle);
  }
  return buildCatalog({ currency: shopRow?.currency ?? null, products, firstVariant, firstVariantPrice, collections: memberOf, rules });
}

/**
 * A fingerprint of what loadCatalog reads, cheap enough to ask every STOREFRONT_CACHE_SECONDS:
 * product versions (a product's version hash changes with any change to it or its variants) and
 * deletions, collection membership and handles, merchant rules and the shop's currency. The
 * catalog is rebuilt only when it changes: on embedded PGlite a rebuild holds the web process's
 * one thread for a few hundred ms with a 4,000-product store.
 */
export async function catalogRevision(db: Db, shop: string): Promise<string> {
  const { rows } = await sql<{ revision: string }>`
    select concat_ws('|',
      (select concat_ws('/', count(*), sum(hashtext(concat_ws(':', version_hash, deleted_at)))) from products where shop = ${shop}),
      (select concat_ws('/', count(*), sum(hashtext(concat_ws(':', product_id, collection_id, collection_handle)))) from product_collections where shop = ${shop}),
      (select concat_ws('/', count(*), sum(hashtext(concat_ws(':', id, kind, match, value, placement, weight, position)))) from merchant_rules where shop = ${shop}),
      (select currency from shops where domain = ${shop})
    ) as revision`.execute(db);
  return rows[0]?.revision ?? '';
}
