import type { StorefrontPlacement } from '../../../shared/storefront';
import type { RankProduct, RankRules } from './rank-product';

/** One product as the storefront shows it, with everything a request needs precomputed. */
export interface CatalogProduct extends RankProduct {
  title: string;
  handle: string;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  /** Collection ids and handles the product belongs to. */
  collections: string[];
  priceMinor: number | null;
  imageUrl: string | null;
  variantId: string | null;
  /** Epoch ms of publication; 0 when unpublished. */
  publishedAt: number;
  /** The JSON card's fields up to `variant_id`, opening brace included, ready to be followed by reason and token. */
  json: string;
}

/**
 * A placement's merchant rules, resolved against the catalog once per cache load: the product
 * ids an `exclude` removes, product id → product of the `boost` weights matching it, and the
 * pinned products by slot, then age of the rule.
 */
export type PlacementRules = RankRules;

/** A shop's catalog and rules in memory: what the recommendations endpoint reads instead of the database. */
export interface StorefrontCatalog {
  currency: string | null;
  byId: ReadonlyMap<string, CatalogProduct>;
  /** Ids of the eligible products, newest first: the last fallback. */
  newest: readonly string[];
  rules: Readonly<Record<StorefrontPlacement, PlacementRules>>;
}

export const EMPTY_RULES: PlacementRules = { excluded: new Set(), boost: new Map(), pins: [] };
