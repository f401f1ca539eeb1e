import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { PROXY_PATH, type ProxyDeps, type ProxyRequestContext } from './context';
import { eventsHandler } from './events';
import { recommendationsHandler } from './recommendations';
import { verifyProxyQuery } from './verify';

/**
 * The storefront endpoints behind Shopify's app proxy (`/apps/shelfwise/…` on the shop's domain):
 * every request's query signature is checked first (401, nothing read or written otherwise).
 */
export function proxyRouter(deps: ProxyDeps): Router {
  const router = express.Router();
  const verify = (req: Request, res: Response, next: NextFunction) => {
    const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
    const check = verifyProxyQuery(query, { secret: deps.apiSecret, nowSeconds: Math.floor(deps.now() / 1000) });
    if (!check.ok) {
      res.status(401).json({ error: 'unauthorized', reason: check.reason });
      return;
    }
    res.locals.proxy = { shop: check.shop, loggedInCustomerId: check.loggedInCustomerId } satisfies ProxyRequestContext;
    // Storefront responses are per visitor and per cart: never cached by Shopify's edge or the browser.
    res.set('Cache-Control', 'no-store');
    next();
  };
  router.get(`${PROXY_PATH}/recommendations`, verify, recommendationsHandler(deps));
  router.post(
    `${PROXY_PATH}/events`,
    verify,
    // sendBeacon posts text/plain; both carry the same JSON.
    express.text({ type: ['application/json', 'text/plain'], limit: '32kb' }),
    eventsHandler(deps),
  );
  return router;
}
