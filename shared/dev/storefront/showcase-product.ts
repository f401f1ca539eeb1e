import type { Redis } from '../../redis';
import { readServingLists } from '../../serving';
import type { StorefrontProduct } from './storefront-catalog';

/** Best sellers looked at for a product page to show. */
const CANDIDATES = 200;
/** Enough for the product page's blocks: Related products (4) and Frequently bought together (3), and some left. */
const WANTED = 10;
/** Candidates asked whether a sponsored product would show on their page. */
const SPONSORED_PROBES = 20;
/**
 * Sponsored products wanted for the page: Related products and Frequently bought together take
 * one each (a sponsored slot per block), the Sponsored products block shows the rest.
 */
const SPONSORED_WANTED = 3;

export interface ShowcaseDeps {
  redis: Redis;
  /** QUEUE_PREFIX: where the serving lists are. */
  prefix: string;
  shop: string;
  /** How many sponsored products the auction would offer on this product's page (at most 4). */
  sponsoredCount: (product: StorefrontProduct) => Promise<number>;
}

/**
 * A product whose page shows every block well: among the best sellers whose published `product`
 * list (the serving version in Redis) names at least WANTED products the storefront sells, the
 * first whose page has sponsored products for every block, else the first with one, else the
 * first of them. Without any such list,
 * the best seller with the longest; undefined when nothing is on sale.
 */
export async function showcaseProduct(deps: ShowcaseDeps, products: readonly StorefrontProduct[]): Promise<StorefrontProduct | undefined> {
  const sellable = products.filter((p) => p.status !== 'draft');
  const candidates = sellable.slice(0, CANDIDATES);
  if (!candidates.length) return undefined;
  const published = await readServingLists({ redis: deps.redis, prefix: deps.prefix, shop: deps.shop, placement: 'product', keys: candidates.map((p) => p.id) });
  const onSale = new Set(sellable.map((p) => p.id));
  const showable = (p: StorefrontProduct) => (published.lists[p.id] ?? []).filter((id) => id !== p.id && onSale.has(id)).length;
  const full = candidates.filter((p) => showable(p) >= WANTED);
  let withOne: StorefrontProduct | undefined;
  for (const product of full.slice(0, SPONSORED_PROBES)) {
    const sponsored = await deps.sponsoredCount(product);
    if (sponsored >= SPONSORED_WANTED) return product;
    if (sponsored > 0) withOne ??= product;
  }
  return withOne ?? full[0] ?? [...candidates].sort((a, b) => showable(b) - showable(a))[0];
}
