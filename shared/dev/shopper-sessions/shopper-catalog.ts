import type { Db } from '../../db';
import { unitsSold } from './units-sold';

/** A product a shopper can browse to and buy without any block: what the storefront lists. */
export interface BrowsableProduct {
  id: string;
  title: string;
  variantId: string;
  /** The first available variant's price, a decimal string in the shop's currency. */
  price: string;
}

export interface ShopperCatalog {
  /** The shop's currency (ISO 4217). */
  currency: string;
  /** Most sold first, so a shopper's browsing favours what the store's customers buy. */
  products: BrowsableProduct[];
}

/**
 * The storefront as a shopper finds it (collection pages, search), read once before the visits:
 * published, available products with a handle and a priced variant, by units sold.
 */
export async function loadShopperCatalog(db: Db, shop: string): Promise<ShopperCatalog> {
  const [shopRow, rows] = await Promise.all([
    db.selectFrom('shops').select('currency').where('domain', '=', shop).executeTakeFirst(),
    db
      .selectFrom('products as p')
      .innerJoin('product_variants as v', (join) => join.onRef('v.shop', '=', 'p.shop').onRef('v.product_id', '=', 'p.id').on('v.available', '=', true))
      .leftJoin(unitsSold(db, shop), (join) => join.onRef('s.product_id', '=', 'p.id'))
      .select(['p.id', 'p.title', 'v.id as variant_id', 'v.price', 'v.position', 's.sold'])
      .where('p.shop', '=', shop)
      .where('p.deleted_at', 'is', null)
      .where('p.available', '=', true)
      .where('p.status', '=', 'active')
      .where('p.published_at', 'is not', null)
      .where('p.handle', 'is not', null)
      .execute(),
  ]);
  const byProduct = new Map<string, { product: BrowsableProduct; position: number; sold: number }>();
  for (const row of rows) {
    const seen = byProduct.get(row.id);
    if (seen && seen.position <= row.position) continue;
    byProduct.set(row.id, {
      product: { id: row.id, title: row.title, variantId: row.variant_id, price: String(row.price) },
      position: row.position,
      sold: Number(row.sold ?? 0),
    });
  }
  const products = [...byProduct.values()]
    // Ties by id: the order (and so every seeded pick) is the same on every run and backend.
    .sort((a, b) => b.sold - a.sold || (a.product.id < b.product.id ? -1 : a.product.id > b.product.id ? 1 : 0))
    .map((entry) => entry.product);
  return { currency: shopRow?.currency ?? 'GBP', products };
}
