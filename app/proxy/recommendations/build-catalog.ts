import { toMinorUnits } from '../../../shared/money';
import { STOREFRONT_PLACEMENTS, type MerchantRule, type StorefrontPlacement } from '../../../shared/storefront';
import type { CatalogProduct, PlacementRules, StorefrontCatalog } from './catalog';

/** A products row as the cache reads it. */
export interface CatalogRow {
  id: string;
  title: string;
  handle: string | null;
  vendor: string | null;
  product_type: string | null;
  tags: unknown;
  status: string;
  published_at: Date | string | null;
  available: boolean;
  min_price: string | null;
  image_url: string | null;
  deleted_at: Date | string | null;
}

export interface CatalogSource {
  currency: string | null;
  products: readonly CatalogRow[];
  /** Product id → its first available variant by position. */
  firstVariant: ReadonlyMap<string, string>;
  /**
   * Product id → that variant's price (decimal string): the card shows the price of what its
   * add-to-cart button adds. Products without one show their lowest price.
   */
  firstVariantPrice?: ReadonlyMap<string, string>;
  /** Product id → collection ids and handles. */
  collections: ReadonlyMap<string, string[]>;
  rules: readonly MerchantRule[];
}

const fold = (s: string) => s.trim().toLowerCase();

class Interner {
  private readonly ids = new Map<string, number>();
  key(value: string | null | undefined): number {
    if (!value || !value.trim()) return -1;
    const folded = fold(value);
    let id = this.ids.get(folded);
    if (id === undefined) this.ids.set(folded, (id = this.ids.size));
    return id;
  }
}

function priceOf(amount: string | null, currency: string | null): number | null {
  if (amount === null || currency === null) return null;
  try {
    return toMinorUnits(amount, currency);
  } catch {
    return null;
  }
}

function ruleMatches(rule: MerchantRule, p: CatalogProduct): boolean {
  const value = fold(rule.value);
  switch (rule.match) {
    case 'product':
      return p.id === rule.value;
    case 'vendor':
      return p.vendor !== null && fold(p.vendor) === value;
    case 'product_type':
      return p.productType !== null && fold(p.productType) === value;
    case 'tag':
      return p.tags.some((t) => fold(t) === value);
    case 'collection':
      return p.collections.some((c) => fold(c) === value);
  }
}

function compileRules(rules: readonly MerchantRule[], placement: StorefrontPlacement, products: readonly CatalogProduct[]): PlacementRules {
  const excluded = new Set<string>();
  const boost = new Map<string, number>();
  const pins: Array<{ productId: string; position: number }> = [];
  for (const rule of rules) {
    if (rule.placement !== null && rule.placement !== placement) continue;
    if (rule.kind === 'pin') {
      if (rule.position !== null) pins.push({ productId: rule.value, position: rule.position });
      continue;
    }
    for (const p of products) {
      if (!ruleMatches(rule, p)) continue;
      if (rule.kind === 'exclude') excluded.add(p.id);
      else boost.set(p.id, (boost.get(p.id) ?? 1) * rule.weight);
    }
  }
  // Stable: equal slots keep the rules' age order (the older pin wins the slot).
  pins.sort((a, b) => a.position - b.position);
  return { excluded, boost, pins };
}

/**
 * The in-memory catalog from rows read once per refresh: eligibility, interned keys for
 * similarity, the JSON card prefix and each placement's rules resolved to product ids, so a
 * request only looks things up.
 */
export function buildCatalog(source: CatalogSource): StorefrontCatalog {
  const vendors = new Interner();
  const types = new Interner();
  const tagIds = new Interner();
  const products: CatalogProduct[] = [];
  for (const row of source.products) {
    const tags = Array.isArray(row.tags) ? (row.tags as unknown[]).map(String).filter((t) => t.trim()) : [];
    const publishedAt = row.published_at === null ? 0 : new Date(row.published_at).getTime();
    const handle = row.handle ?? '';
    const eligible = row.status === 'active' && row.published_at !== null && row.available && row.deleted_at === null && handle !== '';
    const priceMinor = priceOf(source.firstVariantPrice?.get(row.id) ?? row.min_price, source.currency);
    const variantId = source.firstVariant.get(row.id) ?? null;
    const card = {
      id: row.id,
      handle,
      title: row.title,
      vendor: row.vendor,
      url: `/products/${encodeURIComponent(handle)}`,
      image: row.image_url,
      price_minor: priceMinor,
      currency: source.currency,
      variant_id: variantId,
    };
    const json = JSON.stringify(card);
    products.push({
      id: row.id,
      eligible,
      vendorKey: vendors.key(row.vendor),
      typeKey: types.key(row.product_type),
      tagKeys: Int32Array.from(new Set(tags.map((t) => tagIds.key(t)))).sort(),
      title: row.title,
      handle,
      vendor: row.vendor,
      productType: row.product_type,
      tags,
      collections: source.collections.get(row.id) ?? [],
      priceMinor,
      imageUrl: row.image_url,
      variantId,
      publishedAt,
      json: `${json.slice(0, -1)},`,
    });
  }
  const byId = new Map(products.map((p) => [p.id, p]));
  const newest = products
    .filter((p) => p.eligible)
    .sort((a, b) => b.publishedAt - a.publishedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((p) => p.id);
  const rules = Object.fromEntries(STOREFRONT_PLACEMENTS.map((placement) => [placement, compileRules(source.rules, placement, products)])) as Record<StorefrontPlacement, PlacementRules>;
  return { currency: source.currency, byId, newest, rules };
}
