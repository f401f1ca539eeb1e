import type { Db } from '../../../shared/db';
import type { Redis } from '../../../shared/redis';
import { switchServing, writeVersionLists, type ServingLists } from '../../../worker/train';
import { upsertProduct } from '../../../worker/store';
import type { StorefrontCatalog, StorefrontShop } from '../../../shared/dev/storefront';

export interface SeedOptions {
  db: Db;
  redis: Redis;
  /** QUEUE_PREFIX of the app under test. */
  prefix: string;
  shop: StorefrontShop;
  catalog: StorefrontCatalog;
  /** The lists a training run would have published, by product id. */
  lists: ServingLists;
  modelVersion: string;
}

/**
 * The store the app proxy reads: an installed shop with its currency, the catalog written by the
 * worker's own store functions (as a sync would), and one published model version in Redis.
 */
export async function seedStore({ db, redis, prefix, shop, catalog, lists, modelVersion }: SeedOptions): Promise<void> {
  const now = new Date();
  await db.insertInto('shops').values({ domain: shop.domain, active: true, currency: shop.currency, installed_at: now }).execute();
  for (const p of catalog.products) {
    const active = (p.status ?? 'active') === 'active';
    await upsertProduct(db, {
      shop: shop.domain,
      id: p.id,
      title: p.title,
      handle: p.handle,
      vendor: p.vendor,
      productType: p.productType,
      tags: [],
      status: active ? 'active' : 'draft',
      publishedAt: active ? new Date(now.getTime() - 86_400_000) : null,
      bodyText: p.description.replace(/<[^>]+>/g, ' '),
      imageUrl: catalog.imageUrl(p),
      updatedAt: now,
      variants: [
        {
          id: p.variantId,
          title: 'Default Title',
          sku: null,
          price: (p.priceMinor / 100).toFixed(2),
          compareAtPrice: null,
          inventoryQuantity: null,
          inventoryPolicy: 'deny',
          inventoryManagement: null,
          position: 1,
        },
      ],
    });
  }
  await writeVersionLists({ redis, prefix, shop: shop.domain, version: modelVersion, lists, now: now.getTime() });
  const switched = await switchServing({ redis, prefix, shop: shop.domain, version: modelVersion, expected: null });
  if (!switched.switched) throw new Error(`could not publish version ${modelVersion}: ${switched.current} is serving`);
}
