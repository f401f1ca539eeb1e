import type { RankProduct } from '../recommendations/rank-product';
import { similarity } from '../recommendations/similarity';

/** Content similarity counts this much of a list rank's relevance: a look-alike is weaker evidence than a co-purchase. */
export const SIMILARITY_WEIGHT = 0.6;
/** With no anchor at all, a best seller at the top of the popular list scores this. */
export const POPULAR_WEIGHT = 0.4;

/** What a request says about relevance: its published list, its anchor products, the shop's popular list. */
export interface RelevanceContext<P extends RankProduct> {
  /** The request's own list (co-purchase, merged cart or session list, personal list), best first. */
  list: readonly string[];
  /** The products the request is about: the current product, the cart, recent views, purchases. */
  anchors: readonly P[];
  popular: readonly string[];
}

/**
 * How relevant a promoted product is in a request's context, in [0, 1], from our own models
 * (docs/sponsored.md): rank r in the request's list scores 1 / (1 + r / 10); otherwise the best
 * content similarity to an anchor × 0.6; with no anchor, rank r in the popular list scores
 * 0.4 × (1 − r / 100). The highest applies.
 */
export function relevanceScorer<P extends RankProduct>(context: RelevanceContext<P>): (product: P) => number {
  const listRank = new Map<string, number>();
  context.list.forEach((id, r) => {
    if (!listRank.has(id)) listRank.set(id, r);
  });
  let popularRank: Map<string, number> | null = null;
  return (product) => {
    let best = 0;
    const r = listRank.get(product.id);
    if (r !== undefined) best = 1 / (1 + r / 10);
    if (context.anchors.length) {
      for (const anchor of context.anchors) {
        if (anchor.id === product.id) continue;
        const s = SIMILARITY_WEIGHT * similarity(product, anchor);
        if (s > best) best = s;
      }
    } else {
      if (!popularRank) {
        popularRank = new Map();
        context.popular.forEach((id, i) => {
          if (!popularRank!.has(id)) popularRank!.set(id, i);
        });
      }
      const p = popularRank.get(product.id);
      if (p !== undefined) best = Math.max(best, POPULAR_WEIGHT * Math.max(0, 1 - p / 100));
    }
    return best;
  };
}
