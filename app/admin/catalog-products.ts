import type { Db } from '../../shared/db';

/** Most products one answer lists (a campaign promotes at most 100). */
export const CATALOG_PRODUCTS_LIMIT = 250;

export interface CatalogProduct {
  id: string;
  title: string;
  vendor: string | null;
}

/**
 * The shop's products (not deleted) for the campaign form, by title: all of them, those of one
 * vendor, or the given ids, so the form can name what a campaign promotes.
 */
export async function catalogProducts(db: Db, shop: string, filter: { vendor?: string; ids?: string[] }): Promise<CatalogProduct[]> {
  let query = db.selectFrom('products').select(['id', 'title', 'vendor']).where('shop', '=', shop).where('deleted_at', 'is', null);
  if (filter.vendor !== undefined) query = query.where('vendor', '=', filter.vendor);
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    query = query.where('id', 'in', filter.ids);
  }
  const rows = await query.orderBy('title').orderBy('id').limit(CATALOG_PRODUCTS_LIMIT).execute();
  return rows.map((r) => ({ id: String(r.id), title: r.title, vendor: r.vendor }));
}
