import type { IncomingMessage } from 'node:http';
import { customerPseudonym } from '../../../shared/crypto';
import type { FallbackLists } from '../../../shared/serving';
import { clientAddress } from '../client-address';
import type { SponsoredSlots } from '../sponsored';
import { HoldoutGate } from '../holdout';
import { jsonAnswer, type ProxyAnswer } from '../answer';
import type { ProxyDeps, ProxyRequestContext } from '../context';
import { CatalogCache } from './catalog-cache';
import { catalogRevision, loadCatalog } from './load-catalog';
import { parseRecommendationsQuery } from './query';
import { recommend } from './recommend';
import { renderJson } from './render-json';
import { renderLiquid } from './render-liquid';

export { rankRecommendations, CANDIDATE_SOURCES, type CandidateSource, type CandidateStage, type RankOptions, type RankProduct, type RankRules, type RankedProduct } from './rank';
export { buildCatalog, type CatalogRow, type CatalogSource } from './build-catalog';
export { CatalogCache } from './catalog-cache';
export { escapeLiquidHtml } from './render-liquid';

/** What the endpoints keep per shop between requests: the catalog and rules, the fallback lists. */
export interface RecommendationsMemory {
  catalogs: CatalogCache;
  fallbacks: Map<string, FallbackLists>;
  /** The holdout group of a request's visitor (docs/holdout.md). */
  holdout: HoldoutGate;
}

/** One per web process: the recommendations and sponsored endpoints share it (one catalog per shop in memory). */
export function recommendationsMemory(deps: ProxyDeps): RecommendationsMemory {
  return {
    catalogs: new CatalogCache({ load: (shop) => loadCatalog(deps.db, shop), revision: (shop) => catalogRevision(deps.db, shop), ttlMs: deps.storefront.cacheMs, now: deps.now, logger: deps.logger }),
    fallbacks: new Map(),
    holdout: new HoldoutGate({ db: deps.db, redis: deps.redis, logger: deps.logger, queuePrefix: deps.queuePrefix, customerIdKey: deps.customerIdKey, cacheMs: deps.storefront.cacheMs, now: deps.now }),
  };
}

/**
 * GET /proxy/recommendations (docs/storefront.md): Redis lists, an in-memory catalog and rules
 * per shop (refreshed every STOREFRONT_CACHE_SECONDS), no database query and no model math on the
 * request path once a shop is loaded.
 */
export function recommendationsAnswerer(
  deps: ProxyDeps,
  options: { sponsored?: SponsoredSlots; sponsoredOnly?: boolean; memory?: RecommendationsMemory } = {},
): (proxy: ProxyRequestContext, req: IncomingMessage, query: URLSearchParams) => Promise<ProxyAnswer> {
  const { catalogs, fallbacks, holdout } = options.memory ?? recommendationsMemory(deps);
  const { sponsored, sponsoredOnly } = options;
  return async (proxy, req, query) => {
    const parsed = parseRecommendationsQuery(queryObject(query));
    if (!parsed.ok) return jsonAnswer(400, { error: 'bad_request', issues: parsed.issues });
    // A held-out visitor's blocks stay hidden: no products (Liquid: nothing), the same every time.
    if (parsed.query.visitor && (await holdout.assign(proxy.shop, parsed.query.visitor)) === 'holdout') {
      return parsed.query.format === 'liquid' ? { status: 200, contentType: 'application/liquid; charset=utf-8', body: '' } : HOLDOUT_ANSWER;
    }
    const catalog = await catalogs.get(proxy.shop);
    let shopFallbacks = fallbacks.get(proxy.shop);
    if (!shopFallbacks) fallbacks.set(proxy.shop, (shopFallbacks = { version: null, trending: [], popular: [] }));
    const subject = () =>
      proxy.loggedInCustomerId ? `customer:${customerPseudonym(deps.customerIdKey, proxy.shop, proxy.loggedInCustomerId)}` : `address:${clientAddress(req)}`;
    const served = await recommend(deps, proxy, parsed.query, catalog, shopFallbacks, sponsored && (sponsoredOnly || parsed.query.sponsored > 0) ? { slots: sponsored, subject: subject(), only: sponsoredOnly } : undefined);
    return parsed.query.format === 'liquid'
      ? { status: 200, contentType: 'application/liquid; charset=utf-8', body: renderLiquid(served) }
      : { status: 200, contentType: 'application/json; charset=utf-8', body: renderJson(served) };
  };
}

const HOLDOUT_ANSWER: ProxyAnswer = jsonAnswer(200, { products: [], holdout: true });

/** The query as an object, a repeated parameter as an array (the parser refuses those by name). */
function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = {};
  for (const [key, value] of query) {
    const seen = object[key];
    object[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return object;
}
