import type { RankProduct } from '../recommendations/rank-product';
import type { BookCampaign, CampaignBook } from './campaign-book';
import { SIMILARITY_WEIGHT, type RelevanceContext } from './relevance';

/** Tag overlap's most weight in content similarity (similarity.ts): 0.3. */
const TAG_SIMILARITY = 0.3;

/**
 * A shop's promoted products, indexed by what makes a product relevant to a request, so that an
 * auction looks only at products that could pass the relevance threshold instead of every
 * product of every campaign: the ones in the request's list, the look-alikes of its anchors (same
 * vendor or type; same tag only when the threshold is low enough for tags alone to pass), and
 * with no anchor the popular ones. Built once per (campaign book, catalog) pair, holding only
 * eligible products of each campaign's own vendor.
 */
export interface PromotedIndex {
  all: readonly string[];
  campaignsOf: ReadonlyMap<string, readonly BookCampaign[]>;
  byVendor: ReadonlyMap<number, readonly string[]>;
  byType: ReadonlyMap<number, readonly string[]>;
  byTag: ReadonlyMap<number, readonly string[]>;
}

export function buildPromotedIndex(book: CampaignBook, product: (id: string) => (RankProduct & { vendor: string | null }) | undefined): PromotedIndex {
  const campaignsOf = new Map<string, BookCampaign[]>();
  for (const c of book.campaigns) {
    const vendor = c.vendor.toLowerCase();
    for (const id of c.productIds) {
      const p = product(id);
      // Only what may be shown, and only the vendor's own: a product that changed vendor since
      // the campaign was made is no longer the vendor's to promote.
      if (!p?.eligible || p.vendor?.toLowerCase() !== vendor) continue;
      let list = campaignsOf.get(id);
      if (!list) campaignsOf.set(id, (list = []));
      list.push(c);
    }
  }
  const byVendor = new Map<number, string[]>();
  const byType = new Map<number, string[]>();
  const byTag = new Map<number, string[]>();
  const add = (map: Map<number, string[]>, key: number, id: string) => {
    if (key < 0) return;
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    list.push(id);
  };
  for (const id of campaignsOf.keys()) {
    const p = product(id);
    if (!p) continue;
    add(byVendor, p.vendorKey, id);
    add(byType, p.typeKey, id);
    for (const tag of p.tagKeys) add(byTag, tag, id);
  }
  return { all: [...campaignsOf.keys()], campaignsOf, byVendor, byType, byTag };
}

/**
 * The promoted products that could reach `threshold` in this context (relevance.ts): a superset
 * of the relevant ones, never missing one.
 */
export function candidateProducts<P extends RankProduct>(index: PromotedIndex, context: RelevanceContext<P>, threshold: number): Iterable<string> {
  if (threshold <= 0) return index.all;
  const out = new Set<string>();
  for (const id of context.list) if (index.campaignsOf.has(id)) out.add(id);
  if (context.anchors.length) {
    // Tags alone give at most 0.3 similarity: they matter only when that can pass the threshold.
    const tagsCount = threshold <= SIMILARITY_WEIGHT * TAG_SIMILARITY;
    for (const anchor of context.anchors) {
      for (const id of index.byVendor.get(anchor.vendorKey) ?? []) out.add(id);
      for (const id of index.byType.get(anchor.typeKey) ?? []) out.add(id);
      if (tagsCount) for (const tag of anchor.tagKeys) for (const id of index.byTag.get(tag) ?? []) out.add(id);
    }
  } else {
    for (const id of context.popular) if (index.campaignsOf.has(id)) out.add(id);
  }
  return out;
}
