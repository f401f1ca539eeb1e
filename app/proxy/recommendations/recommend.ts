import { customerPseudonym } from '../../../shared/crypto';
import { readStorefrontLists, type FallbackLists, type StorefrontLists } from '../../../shared/serving';
import { signRecommendationToken } from '../../../shared/tracking';
import type { ProxyDeps, ProxyRequestContext } from '../context';
import { candidateStages, FALLBACK_REASONS, listLookups } from './candidates';
import type { StorefrontCatalog } from './catalog';
import { newImpressionId } from './impression-id';
import { PLACEMENT_RANKING } from './placement-ranking';
import type { RecommendationsQuery } from './query';
import { CANDIDATE_SOURCES, rankRecommendations, type CandidateSource } from './rank';
import type { ServedRecommendations } from './served';

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
  const ranked = rankRecommendations({
    limit: query.limit,
    maxPerVendor: Math.min(query.max_per_vendor ?? deps.storefront.maxPerVendor, deps.storefront.maxPerVendor),
    blocked,
    stages,
    product: (id) => catalog.byId.get(id),
    rules: catalog.rules[query.placement],
    diversity: tuning.diversity,
    anchor: tuning.anchorWeight && query.product_id ? catalog.byId.get(query.product_id) : null,
    anchorWeight: tuning.anchorWeight,
  });

  const impressionId = newImpressionId();
  const issuedAt = Math.floor(deps.now() / 1000);
  let source: CandidateSource = 'catalog';
  for (const r of ranked) if (r.source !== 'pin' && CANDIDATE_SOURCES.indexOf(r.source) < CANDIDATE_SOURCES.indexOf(source)) source = r.source;
  const products = ranked.map(({ product, source: from }, position) => ({
    product,
    reason: from === 'list' || from === 'pin' ? listReason(product.id) : FALLBACK_REASONS[from],
    token: signRecommendationToken(deps.tokenKey, shop, {
      impressionId,
      placement: query.placement,
      productId: product.id,
      position,
      // The newest-products fallback involves no model.
      modelVersion: from === 'catalog' ? null : read.version,
      sponsored: false,
      issuedAt,
    }),
  }));
  return { placement: query.placement, impressionId, modelVersion: read.version, source, products };
}
