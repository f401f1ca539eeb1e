import { connection, type CollectionRecord, type ProductNode } from './graph';
import type { StandinShop } from './state';

type View = Record<string, unknown>;

/**
 * The shop's products and collections as GraphQL reads them. Membership lives on the
 * collections (`productIds`); `Product.collections` and `Collection.products` are derived from
 * it when a query asks for them, so a test that edits membership sees it in the next query.
 * Both connections are lazy getters: `project` and the bulk runner only touch what is selected.
 */
export function catalogViews(shop: StandinShop): { products: View[]; collections: View[] } {
  const productsById = new Map(shop.products.map((p) => [p.id, p]));
  const collectionsOf = new Map<string, CollectionRecord[]>();
  for (const collection of shop.collections) {
    for (const productId of new Set(collection.productIds)) {
      const list = collectionsOf.get(productId) ?? [];
      list.push(collection);
      collectionsOf.set(productId, list);
    }
  }
  const collectionViews = new Map<CollectionRecord, View>();
  const productViews = new Map<ProductNode, View>();

  function productView(product: ProductNode): View {
    let view = productViews.get(product);
    if (!view) {
      view = {
        ...product,
        get collections() {
          return connection((collectionsOf.get(product.id) ?? []).map(collectionView));
        },
      };
      productViews.set(product, view);
    }
    return view;
  }

  function collectionView(collection: CollectionRecord): View {
    let view = collectionViews.get(collection);
    if (!view) {
      const { productIds, ...fields } = collection;
      view = {
        ...fields,
        get products() {
          // A member that is no longer in the catalog (deleted) is not listed, as on Shopify.
          const members = [...new Set(productIds)].map((id) => productsById.get(id)).filter((p): p is ProductNode => Boolean(p));
          return connection(members.map(productView));
        },
      };
      collectionViews.set(collection, view);
    }
    return view;
  }

  return { products: shop.products.map(productView), collections: shop.collections.map(collectionView) };
}
