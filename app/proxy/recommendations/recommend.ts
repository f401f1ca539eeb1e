import { customerPseudonym } from '../../../shared/crypto';
import { readStorefrontLists, type FallbackLists, type StorefrontLists } from '../../../shared/serving';
import { signRecommendationToken } from '../../../shared/tracking';
import type { ProxyDeps, ProxyRequestContext } from '../context';
import { interleave, sponsoredCount, sponsoredPositions, type SponsoredPick, type SponsoredSlots } from '../sponsored';
import { candidateStages, FALLBACK_REASONS, listLookups } from './candidates';
import type { CatalogProduct, StorefrontCatalog } from './catalog';
import { newImpressionId } from './impression-id';
import { PLACEMENT_RANKING } from './placement-ranking';
import type { RecommendationsQuery } from './query';
import { CANDIDATE_SOURCES, rankRecommendations, type CandidateSource } from './rank';
import type { ServedRecommendations } from './served';

/** A sponsored product's line: it is there because a vendor paid, and says so. */
const SPONSORED_REASON = 'Sponsored';

const NOTHING_PUBLISHED = (n: number): StorefrontLists => ({ version: null, trending: [], popular: [], lists: new Array(n).fill(null), history: [] });

/**
 * One answer: one Redis script for the lists, then the pure ranking over the cached catalog and
 * rules, then a token per product. If Redis fails the catalog still answers (newest products):
 * a storefront block degrades, it does not break.
 */
export async function recommend(
  deps: Pick<ProxyDeps, 'redis' | 'queuePrefix' | 'customerIdKey' | 'tokenKey' | 'storefront' | 'now' | 'logger'>,
  proxy: ProxyRequestContext,
  query: RecommendationsQuery,
  catalog: StorefrontCatalog,
  /** The shop's trending and popular lists of the last version read (kept between requests). */
  fallbacks?: FallbackLists,
  /** The sponsored auction, and the request's frequency-cap subject; `only`: the Sponsored products block. */
  sponsored?: { slots: SponsoredSlots; subject: string; only?: boolean },
): Promise<ServedRecommendations> {
  const { shop } = proxy;
  const customerKey = query.placement === 'for_you' && proxy.loggedInCustomerId ? customerPseudonym(deps.customerIdKey, shop, proxy.loggedInCustomerId) : null;
  const { lookups, historyOf } = listLookups(query, customerKey);
  let read: StorefrontLists;
  try {
    read = await readStorefrontLists({ redis: deps.redis, prefix: deps.queuePrefix, shop, lookups, historyOf, fallbacks });
  } catch (err) {
    deps.logger.warn({ err, shop }, 'serving lists unreadable: answering from the catalog');
    read = NOTHING_PUBLISHED(lookups.length);
  }

  const { stages, listReason } = candidateStages(query, customerKey, read, catalog);
  const blocked = new Set<string>(query.cart);
  for (const id of query.exclude) blocked.add(id);
  if (query.product_id) blocked.add(query.product_id);
  const tuning = PLACEMENT_RANKING[query.placement];
  const rules = catalog.rules[query.placement];
  const organic = sponsored?.only
    ? []
    : rankRecommendations({
    limit: query.limit,
    maxPerVendor: Math.min(query.max_per_vendor ?? deps.storefront.maxPerVendor, deps.storefront.maxPerVendor),
    blocked,
    stages,
    product: (id) => catalog.byId.get(id),
        rules,
        diversity: tuning.diversity,
        anchor: tuning.anchorWeight && query.product_id ? catalog.byId.get(query.product_id) : null,
        anchorWeight: tuning.anchorWeight,
      });

  let picks: SponsoredPick[] = [];
  const pinned = new Set<number>();
  organic.forEach((r, i) => {
    if (r.source === 'pin') pinned.add(i);
  });
  const positions = sponsored && !sponsored.only ? sponsoredPositions(query.limit, sponsoredCount(query.limit, query.sponsored), pinned) : [];
  const slots = sponsored ? (sponsored.only ? query.limit : positions.length) : 0;
  if (sponsored && slots > 0) {
    const shown = new Set(organic.map((r) => r.product.id));
    const anchors: CatalogProduct[] = [];
    const addAnchor = (id: string) => {
      const p = catalog.byId.get(id);
      if (p) anchors.push(p);
    };
    if (query.product_id) addAnchor(query.product_id);
    for (const id of query.cart.slice(0, 20)) addAnchor(id);
    for (const id of query.recent.slice(0, 20)) addAnchor(id);
    for (const { productId } of read.history) addAnchor(productId);
    try {
      picks = await sponsored.slots.pick({
        shop,
        placement: sponsored.only ? 'sponsored' : query.placement,
        slots,
        blocked: (id) => blocked.has(id) || shown.has(id) || rules.excluded.has(id),
        catalog,
        context: { list: stages[0]?.ids ?? [], anchors, popular: read.popular },
        subject: sponsored.subject,
      });
    } catch (err) {
      // The organic answer never waits on a failing auction.
      deps.logger.warn({ err, shop }, 'sponsored auction failed: answering without sponsored products');
    }
  }
  type Card = { product: CatalogProduct; source: CandidateSource | 'pin'; pick?: SponsoredPick };
  const paid: Card[] = picks.map((pick) => ({ product: pick.product, source: 'list', pick }));
  // Sponsored products at their planned positions (1, 3, …), pins kept at their slots.
  const ranked: Card[] = sponsored?.only ? paid : interleave<Card>(organic, pinned, positions, paid, query.limit);

  const impressionId = newImpressionId();
  const issuedAt = Math.floor(deps.now() / 1000);
  let source: CandidateSource = 'catalog';
  for (const r of organic) if (r.source !== 'pin' && CANDIDATE_SOURCES.indexOf(r.source) < CANDIDATE_SOURCES.indexOf(source)) source = r.source;
  const products = ranked.map(({ product, source: from, pick }, position) => ({
    product,
    reason: pick ? SPONSORED_REASON : from === 'list' || from === 'pin' ? listReason(product.id) : FALLBACK_REASONS[from],
    token: signRecommendationToken(deps.tokenKey, shop, {
      impressionId,
      placement: sponsored?.only ? 'sponsored' : query.placement,
      productId: product.id,
      position,
      // The newest-products fallback involves no model.
      modelVersion: from === 'catalog' && !pick ? null : read.version,
      sponsored: pick !== undefined,
      issuedAt,
      sponsorship: pick ? { campaignId: pick.campaignId, priceMinor: pick.priceMinor } : null,
    }),
    ...(pick ? { campaignId: pick.campaignId } : {}),
  }));
  return { placement: query.placement, impressionId, modelVersion: read.version, source, products };
}
