import type { RequestHandler } from 'express';
import type { ProxyDeps, ProxyRequestContext } from '../context';
import { CatalogCache } from './catalog-cache';
import { loadCatalog } from './load-catalog';
import { parseRecommendationsQuery } from './query';
import { recommend } from './recommend';
import { renderJson } from './render-json';
import { renderLiquid } from './render-liquid';

export { rankRecommendations, CANDIDATE_SOURCES, type CandidateSource, type CandidateStage, type RankOptions, type RankProduct, type RankRules, type RankedProduct } from './rank';
export { buildCatalog, type CatalogRow, type CatalogSource } from './build-catalog';
export { CatalogCache } from './catalog-cache';
export { escapeLiquidHtml } from './render-liquid';

/**
 * GET /proxy/recommendations (docs/storefront.md): Redis lists, an in-memory catalog and rules
 * per shop (refreshed every STOREFRONT_CACHE_SECONDS), no database query and no model math on the
 * request path once a shop is loaded.
 */
export function recommendationsHandler(deps: ProxyDeps): RequestHandler {
  const catalogs = new CatalogCache({ load: (shop) => loadCatalog(deps.db, shop), ttlMs: deps.storefront.cacheMs, now: deps.now, logger: deps.logger });
  return async (req, res, next) => {
    try {
      const parsed = parseRecommendationsQuery(req.query);
      if (!parsed.ok) {
        res.status(400).json({ error: 'bad_request', issues: parsed.issues });
        return;
      }
      const proxy = res.locals.proxy as ProxyRequestContext;
      const catalog = await catalogs.get(proxy.shop);
      const served = await recommend(deps, proxy, parsed.query, catalog);
      const liquid = parsed.query.format === 'liquid';
      const body = liquid ? renderLiquid(served) : renderJson(served);
      // Written directly: res.send would hash every answer for an ETag nobody can use (no-store).
      res.setHeader('Content-Type', liquid ? 'application/liquid; charset=utf-8' : 'application/json; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(body));
      res.end(body);
    } catch (error) {
      next(error);
    }
  };
}
