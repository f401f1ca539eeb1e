import { shopKey } from '../redis';

/** Where storefront blocks show lists; `trending` is every placement's fallback. */
export const SERVING_PLACEMENTS = ['for_you', 'product', 'cart'] as const;
export type ServingPlacement = (typeof SERVING_PLACEMENTS)[number];

/**
 * Every part of one version: the placements' hashes, the `trending` and `popular` fallbacks
 * (strings) and `history` (hash: customer key → the customer's latest distinct purchases).
 */
export const VERSION_PARTS = [...SERVING_PLACEMENTS, 'trending', 'popular', 'history'] as const;
export type VersionPart = (typeof VERSION_PARTS)[number];

/**
 * The Redis layout of published recommendation lists, every key hash-tagged by shop (one Redis
 * Cluster slot per shop, so the scripts below touch one slot) and under the configured queue
 * prefix (demo data directories stay apart):
 *
 * - `P:{shop}:reco:serving` — string: the id of the version the storefront reads;
 * - `P:{shop}:reco:versions` — sorted set: every version written, scored by when its writing began;
 * - `P:{shop}:reco:v:ID:for_you` — hash: customer key → JSON array of product codes;
 * - `P:{shop}:reco:v:ID:product`, `…:cart` — hash: product code → JSON array of product codes;
 * - `P:{shop}:reco:v:ID:trending` — string: JSON array of product codes, the fallback;
 * - `P:{shop}:reco:v:ID:popular` — string: JSON array of the all-time best sellers, the next fallback;
 * - `P:{shop}:reco:v:ID:history` — hash: customer key → JSON array of the customer's most recent
 *   distinct purchases, newest first (what "Because you bought …" may name).
 */
export const servingKeys = (prefix: string, shop: string) => {
  const base = shopKey(prefix, shop, 'reco');
  return {
    /** The serving pointer. */
    pointer: `${base}:serving`,
    /** Versions written (sorted set, score = ms when writing began). */
    versions: `${base}:versions`,
    /** Prefix of one version's keys: `${versionBase}${id}:${part}`. */
    versionBase: `${base}:v:`,
    list: (version: string, part: VersionPart) => `${base}:v:${version}:${part}`,
  };
};

/** Every key one version owns. */
export function versionKeys(prefix: string, shop: string, version: string): string[] {
  const keys = servingKeys(prefix, shop);
  return VERSION_PARTS.map((p) => keys.list(version, p));
}
