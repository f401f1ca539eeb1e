/** Length of every published list: what the storefront can show and what a cart merges. */
export const PUBLISHED_LIST_LENGTH = 20;

/**
 * The cart upsell from the published `cart` lists of the products in a cart: each product's list
 * votes 1 / (rank + 1) for its items (rank 0 = its best), the votes add up across the cart, the
 * cart's own products are left out, and the `k` best come first (ties: the earlier cart product's
 * list, then its rank). The storefront serves this and `cart-30d` judges exactly this, so the
 * offline figure is the figure of what shoppers see.
 */
export function mergeCartLists<T>(lists: ReadonlyArray<ReadonlyArray<T>>, inCart: ReadonlySet<T>, k: number): T[] {
  const votes = new Map<T, number>();
  for (const list of lists) {
    list.forEach((item, rank) => {
      if (!inCart.has(item)) votes.set(item, (votes.get(item) ?? 0) + 1 / (rank + 1));
    });
  }
  // Map keeps first-insertion order and sort is stable: ties keep the order of first appearance.
  return [...votes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([item]) => item);
}
