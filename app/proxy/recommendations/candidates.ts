import { mergeCartLists, PUBLISHED_LIST_LENGTH, type ServingPlacement, type StorefrontLists } from '../../../shared/serving';
import type { StorefrontCatalog } from './catalog';
import type { RecommendationsQuery } from './query';
import type { CandidateStage } from './rank';

/** Lists merged for a cart or a session (`recent`): the first this many products of each. */
const MAX_MERGED_KEYS = 20;
/** Candidates kept from a merge: room for filters and the vendor cap. */
const MERGED_LENGTH = 2 * PUBLISHED_LIST_LENGTH;

/** What to read from Redis for a request: one script call (shared/serving readStorefrontLists). */
export function listLookups(query: RecommendationsQuery, customerKey: string | null): { lookups: Array<{ placement: ServingPlacement; key: string }>; historyOf: string | null } {
  switch (query.placement) {
    case 'related':
    case 'fbt':
      return { lookups: [{ placement: 'product', key: query.product_id! }], historyOf: null };
    case 'cart':
      return { lookups: query.cart.slice(0, MAX_MERGED_KEYS).map((key) => ({ placement: 'cart', key })), historyOf: null };
    case 'for_you': {
      // The personal list first; the session's lists besides, for a customer the model has not seen yet.
      const recent = query.recent.slice(0, MAX_MERGED_KEYS).map((key) => ({ placement: 'product' as const, key }));
      return customerKey ? { lookups: [{ placement: 'for_you', key: customerKey }, ...recent], historyOf: customerKey } : { lookups: recent, historyOf: null };
    }
  }
}

/**
 * For merged lists: each candidate's anchor is the product whose list voted most for it
 * (1 / (rank + 1), as mergeCartLists counts; ties: the earlier anchor), so its reason names the
 * product that actually put it there.
 */
function strongestAnchor(lists: ReadonlyArray<readonly [string, readonly string[]]>): Map<string, string> {
  const best = new Map<string, { anchor: string; rank: number }>();
  for (const [anchor, list] of lists) {
    list.forEach((id, rank) => {
      const seen = best.get(id);
      if (!seen || rank < seen.rank) best.set(id, { anchor, rank });
    });
  }
  return new Map([...best].map(([id, { anchor }]) => [id, anchor]));
}

export interface Candidates {
  stages: CandidateStage[];
  /** The one-line reason of a product from the `list` stage (or a pin). */
  listReason: (id: string) => string;
}

export const FALLBACK_REASONS = { trending: 'Trending now', popular: 'Best seller', catalog: 'New in store' } as const;
const PICKED = 'Picked for you';

/** The fallback chain for a request: its own list (merged for carts and sessions), trending, popular, the catalog. */
export function candidateStages(query: RecommendationsQuery, customerKey: string | null, read: StorefrontLists, catalog: StorefrontCatalog): Candidates {
  const titleOf = (id: string) => catalog.byId.get(id)?.title;
  let list: readonly string[] = [];
  let listReason: (id: string) => string = () => PICKED;
  const merged = (anchors: readonly string[], lists: ReadonlyArray<string[] | null>, say: (title: string) => string) => {
    const present = anchors.map((anchor, i) => [anchor, lists[i] ?? []] as const).filter(([, l]) => l.length);
    list = mergeCartLists(
      present.map(([, l]) => l),
      new Set(anchors),
      MERGED_LENGTH,
    );
    const anchorOf = strongestAnchor(present);
    listReason = (id) => {
      const anchor = anchorOf.get(id);
      const title = anchor === undefined ? undefined : titleOf(anchor);
      return title === undefined ? PICKED : say(title);
    };
  };

  switch (query.placement) {
    case 'related':
    case 'fbt': {
      list = read.lists[0] ?? [];
      const title = titleOf(query.product_id!);
      listReason = () => (title === undefined ? PICKED : `Often bought with ${title}`);
      break;
    }
    case 'cart':
      merged(query.cart.slice(0, MAX_MERGED_KEYS), read.lists, (title) => `Often bought with ${title}`);
      break;
    case 'for_you': {
      const personal = customerKey ? read.lists[0] : null;
      if (personal) {
        list = personal;
        // "Because you bought X" only for a product in the co-purchase list of X, a recent purchase.
        const because = new Map<string, string>();
        for (const { productId, list: bought } of read.history) {
          const title = titleOf(productId);
          if (title === undefined || !bought) continue;
          for (const id of bought) if (!because.has(id)) because.set(id, title);
        }
        listReason = (id) => {
          const title = because.get(id);
          return title === undefined ? PICKED : `Because you bought ${title}`;
        };
      } else {
        const recent = query.recent.slice(0, MAX_MERGED_KEYS);
        merged(recent, customerKey ? read.lists.slice(1) : read.lists, (title) => `Because you viewed ${title}`);
      }
      break;
    }
  }
  return {
    stages: [
      { source: 'list', ids: list },
      { source: 'trending', ids: read.trending },
      { source: 'popular', ids: read.popular },
      { source: 'catalog', ids: catalog.newest },
    ],
    listReason,
  };
}
