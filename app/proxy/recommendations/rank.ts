import type { RankProduct, RankRules } from './rank-product';
import { similarity } from './similarity';

export type { RankProduct, RankRules } from './rank-product';

/** Where a candidate came from, in fallback order: the key's list, then trending, popular, the catalog. */
export const CANDIDATE_SOURCES = ['list', 'trending', 'popular', 'catalog'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];

export interface CandidateStage {
  source: CandidateSource;
  /** Product ids, best first. */
  ids: readonly string[];
}

export interface RankOptions<P extends RankProduct> {
  /** Products wanted (1-20). */
  limit: number;
  /** Most products from one vendor while other eligible products can fill the slots. */
  maxPerVendor: number;
  /** Never returned: the current product, the cart, `exclude`. */
  blocked: ReadonlySet<string>;
  /** Candidates in fallback order; the catalog stage should list every eligible product. */
  stages: readonly CandidateStage[];
  product: (id: string) => P | undefined;
  rules: RankRules;
  /** MMR weight of the penalty for looking like an already picked product (0 = list order). */
  diversity: number;
  /** Re-ranks toward this product's look-alikes (related products): relevance × (1 + anchorWeight × similarity). */
  anchor?: P | null;
  anchorWeight?: number;
}

export interface RankedProduct<P> {
  product: P;
  /** `pin` for a merchant's pinned product. */
  source: CandidateSource | 'pin';
}

interface Candidate<P> {
  product: P;
  source: CandidateSource;
  relevance: number;
  /** Highest similarity to anything picked so far (MMR). */
  nearest: number;
  taken: boolean;
  /** Its vendor has `maxPerVendor` products picked (or pinned) already. */
  vendorFull: boolean;
}

/**
 * The storefront's ranking, pure: pins at their slots, then a greedy MMR pick over the
 * candidates (relevance − diversity × similarity to what is already picked) under the vendor cap.
 *
 * Relevance keeps the fallback chain: a candidate at rank r of stage s (0 list, 1 trending,
 * 2 popular, 3 catalog) of length n scores 2^-s × (1 − r / 2n), so an unboosted product never
 * passes one of an earlier stage; a boost multiplies it (× 2 lifts about one stage). Stages are
 * read only until the candidates can fill the slots under the cap, and the catalog only as far
 * as needed, so a request costs about `limit` × candidates similarity checks, not the catalog.
 * When every eligible product has been read and the cap still leaves slots empty, the cap is
 * lifted for the rest: always `limit` products when that many are eligible.
 */
export function rankRecommendations<P extends RankProduct>(options: RankOptions<P>): RankedProduct<P>[] {
  const { limit, maxPerVendor, blocked, stages, product, rules, diversity, anchor = null, anchorWeight = 0 } = options;
  const slots: Array<RankedProduct<P> | undefined> = new Array(limit);
  const seen = new Set<string>();
  const usable = (id: string): P | undefined => {
    if (seen.has(id) || blocked.has(id) || rules.excluded.has(id)) return undefined;
    const p = product(id);
    return p && p.eligible ? p : undefined;
  };

  // Pins first: a merchant's pin holds its slot (or the next free one) whatever the lists say.
  const picked: P[] = [];
  for (const pin of rules.pins) {
    if (pin.position >= limit) continue;
    const p = usable(pin.productId);
    if (!p) continue;
    let slot = pin.position;
    while (slot < limit && slots[slot]) slot++;
    if (slot >= limit) continue;
    slots[slot] = { product: p, source: 'pin' };
    seen.add(p.id);
    picked.push(p);
  }
  const need = limit - picked.length;
  const vendorCount = new Map<number, number>();
  for (const p of picked) if (p.vendorKey >= 0) vendorCount.set(p.vendorKey, (vendorCount.get(p.vendorKey) ?? 0) + 1);

  // Candidates, stage by stage, until those that fit under the cap can fill the free slots.
  const candidates: Candidate<P>[] = [];
  const poolCount = new Map<number, number>(vendorCount);
  let fitting = 0;
  for (const stage of stages) {
    const tier = 2 ** -CANDIDATE_SOURCES.indexOf(stage.source);
    const n = stage.ids.length;
    const isCatalog = stage.source === 'catalog';
    for (let r = 0; r < n; r++) {
      const id = stage.ids[r]!;
      const p = usable(id);
      if (!p) continue;
      seen.add(id);
      let relevance = tier * (1 - r / (2 * n)) * (rules.boost.get(id) ?? 1);
      if (anchor && anchorWeight) relevance *= 1 + anchorWeight * similarity(anchor, p);
      candidates.push({ product: p, source: stage.source, relevance, nearest: 0, taken: false, vendorFull: p.vendorKey >= 0 && (vendorCount.get(p.vendorKey) ?? 0) >= maxPerVendor });
      if (p.vendorKey < 0) fitting++;
      else {
        const c = poolCount.get(p.vendorKey) ?? 0;
        if (c < maxPerVendor) fitting++;
        poolCount.set(p.vendorKey, c + 1);
      }
      // The catalog is read only as far as needed (twice the free slots, for the MMR some choice).
      if (isCatalog && fitting >= 2 * need) break;
    }
    if (fitting >= need) break;
  }

  if (diversity > 0) for (const c of candidates) for (const p of picked) c.nearest = Math.max(c.nearest, similarity(c.product, p));

  const chosen: RankedProduct<P>[] = [];
  let capped = true;
  while (chosen.length < need) {
    let best: Candidate<P> | undefined;
    let bestScore = -Infinity;
    for (const c of candidates) {
      if (c.taken) continue;
      if (capped && c.vendorFull) continue;
      const score = c.relevance - diversity * c.nearest;
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    if (!best) {
      if (!capped) break;
      // Only when no candidate fits under the cap: every eligible product was read (stages stop
      // early only once enough fit), so the cap is lifted rather than leave slots empty.
      capped = false;
      continue;
    }
    best.taken = true;
    const p = best.product;
    chosen.push({ product: p, source: best.source });
    if (p.vendorKey >= 0) {
      const count = (vendorCount.get(p.vendorKey) ?? 0) + 1;
      vendorCount.set(p.vendorKey, count);
      // The cap is checked per candidate on every pick: mark the vendor's candidates once, when it fills.
      if (count >= maxPerVendor) for (const c of candidates) if (c.product.vendorKey === p.vendorKey) c.vendorFull = true;
    }
    // After the last pick nothing reads `nearest` again.
    if (diversity > 0 && chosen.length < need) {
      for (const c of candidates) if (!c.taken) c.nearest = Math.max(c.nearest, similarity(c.product, p));
    }
  }

  const ranked: RankedProduct<P>[] = [];
  let next = 0;
  for (let slot = 0; slot < limit; slot++) {
    const item = slots[slot] ?? chosen[next++];
    if (item) ranked.push(item);
  }
  return ranked;
}
