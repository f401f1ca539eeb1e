import type { Db } from '../../shared/db';

/** One collection a product belongs to, as the products bulk query reads it. */
export interface ProductCollection {
  /** Numeric collection id (from `gid://shopify/Collection/<id>`). */
  collectionId: string;
  handle: string | null;
}

/**
 * Replaces the product's rows in product_collections with `collections`: a product taken out
 * of a collection loses its row, and writing the same list twice changes nothing.
 *
 * Membership comes only from the catalog sync — product webhooks carry no collections, and
 * collection edits send no product webhook — so it is refreshed by the install sync and the
 * daily reconcile (RECONCILE_CRON), never between them. It is written whatever the product
 * upsert decided: a newer product version from a webhook says nothing about collections.
 * A product deleted in Shopify keeps its last rows here; the storefront filters deleted
 * products before it looks at collections.
 */
export async function replaceProductCollections(
  db: Db,
  { shop, productId, collections }: { shop: string; productId: string; collections: ProductCollection[] },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('product_collections').where('shop', '=', shop).where('product_id', '=', productId).execute();
    if (!collections.length) return;
    await trx
      .insertInto('product_collections')
      .values(collections.map((c) => ({ shop, product_id: productId, collection_id: c.collectionId, collection_handle: c.handle })))
      // Two syncs of one shop writing the same product at once: the later write wins, no error.
      .onConflict((oc) => oc.columns(['shop', 'product_id', 'collection_id']).doUpdateSet((eb) => ({ collection_handle: eb.ref('excluded.collection_handle') })))
      .execute();
  });
}

