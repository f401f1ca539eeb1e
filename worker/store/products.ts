import { sql } from 'kysely';
import type { Db } from '../../shared/db';
import { minDecimal } from './decimal';
import type { ProductRecord, VariantRecord } from './records';
import { versionHash } from './version-hash';

/** Admin variants carry no `available`: in stock, not tracked, or sold when out of stock. */
export function variantAvailable(v: VariantRecord): boolean {
  if (v.inventoryManagement !== 'shopify') return true;
  if (v.inventoryPolicy === 'continue') return true;
  return (v.inventoryQuantity ?? 0) > 0;
}

export function productAvailable(p: ProductRecord): boolean {
  return p.status === 'active' && p.publishedAt !== null && p.variants.some(variantAvailable);
}

/** Everything a text model reads about a product, in one string. */
export function productSearchText(p: ProductRecord): string {
  return [p.title, p.productType, p.vendor, p.tags.join(' '), p.bodyText]
    .filter((part) => part && part.trim())
    .join(' \u2022 ');
}

export type UpsertOutcome = 'applied' | 'stale';

/**
 * Writes a product version unless the stored one is newer (by `updated_at`, then by content
 * hash), replacing its variants in the same transaction. Replaying any mix of versions in any
 * order leaves the newest.
 */
export async function upsertProduct(db: Db, p: ProductRecord): Promise<UpsertOutcome> {
  const row = {
    shop: p.shop,
    id: p.id,
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    product_type: p.productType,
    tags: JSON.stringify(p.tags),
    status: p.status,
    published_at: p.publishedAt,
    body_text: p.bodyText,
    search_text: productSearchText(p),
    image_url: p.imageUrl,
    available: productAvailable(p),
    min_price: minDecimal(p.variants.map((v) => v.price)),
    updated_at: p.updatedAt,
    version_hash: versionHash(p),
  };
  return db.transaction().execute(async (trx) => {
    const written = await trx
      .insertInto('products')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['shop', 'id'])
          .doUpdateSet((eb) => ({
            title: eb.ref('excluded.title'),
            handle: eb.ref('excluded.handle'),
            vendor: eb.ref('excluded.vendor'),
            product_type: eb.ref('excluded.product_type'),
            tags: eb.ref('excluded.tags'),
            status: eb.ref('excluded.status'),
            published_at: eb.ref('excluded.published_at'),
            body_text: eb.ref('excluded.body_text'),
            search_text: eb.ref('excluded.search_text'),
            image_url: eb.ref('excluded.image_url'),
            // A tombstoned product stays unavailable whatever version arrives after it.
            available: sql<boolean>`excluded.available and products.deleted_at is null`,
            min_price: eb.ref('excluded.min_price'),
            updated_at: eb.ref('excluded.updated_at'),
            version_hash: eb.ref('excluded.version_hash'),
          }))
          .where(sql<boolean>`(products.updated_at, products.version_hash) < (excluded.updated_at, excluded.version_hash)`),
      )
      // xmax = 0 on the returned row means it was inserted, not updated: no old children to drop.
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .executeTakeFirst();
    if (!written) return 'stale';
    if (!written.inserted) await trx.deleteFrom('product_variants').where('shop', '=', p.shop).where('product_id', '=', p.id).execute();
    if (p.variants.length) {
      await trx
        .insertInto('product_variants')
        .values(
          p.variants.map((v) => ({
            shop: p.shop,
            id: v.id,
            product_id: p.id,
            title: v.title,
            sku: v.sku,
            price: v.price,
            compare_at_price: v.compareAtPrice,
            inventory_quantity: v.inventoryQuantity,
            inventory_policy: v.inventoryPolicy,
            inventory_management: v.inventoryManagement,
            available: variantAvailable(v),
            position: v.position,
          })),
        )
        // A variant moved between products keeps its id: the newest product version owns it.
        .onConflict((oc) =>
          oc.columns(['shop', 'id']).doUpdateSet((eb) => ({
            product_id: eb.ref('excluded.product_id'),
            title: eb.ref('excluded.title'),
            sku: eb.ref('excluded.sku'),
            price: eb.ref('excluded.price'),
            compare_at_price: eb.ref('excluded.compare_at_price'),
            inventory_quantity: eb.ref('excluded.inventory_quantity'),
            inventory_policy: eb.ref('excluded.inventory_policy'),
            inventory_management: eb.ref('excluded.inventory_management'),
            available: eb.ref('excluded.available'),
            position: eb.ref('excluded.position'),
          })),
        )
        .execute();
    }
    return 'applied';
  });
}

/**
 * products/delete carries only the id. Deletion is final in Shopify (ids are never reused), so
 * a tombstone keeps the earliest deletion time and later-arriving older updates cannot revive it.
 */
export async function markProductDeleted(db: Db, d: { shop: string; id: string; deletedAt: Date }): Promise<void> {
  await db
    .insertInto('products')
    .values({
      shop: d.shop,
      id: d.id,
      title: '',
      tags: '[]',
      status: 'deleted',
      body_text: '',
      search_text: '',
      available: false,
      updated_at: new Date(0),
      version_hash: '',
      deleted_at: d.deletedAt,
    })
    .onConflict((oc) =>
      oc.columns(['shop', 'id']).doUpdateSet({
        deleted_at: sql`least(coalesce(products.deleted_at, excluded.deleted_at), excluded.deleted_at)`,
        available: false,
      }),
    )
    .execute();
}
