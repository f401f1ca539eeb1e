/** What ranking needs of a product: eligibility and the interned keys similarity compares. */
export interface RankProduct {
  id: string;
  /** Active, published, available, not deleted and linkable: may be shown at all. */
  eligible: boolean;
  /** Interned vendor (case-insensitive); -1 when none (never capped, never alike). */
  vendorKey: number;
  /** Interned product type; -1 when none. */
  typeKey: number;
  /** Interned tags, sorted ascending. */
  tagKeys: Int32Array;
}

/** A placement's merchant rules as ranking applies them. */
export interface RankRules {
  excluded: ReadonlySet<string>;
  boost: ReadonlyMap<string, number>;
  pins: ReadonlyArray<{ productId: string; position: number }>;
}
