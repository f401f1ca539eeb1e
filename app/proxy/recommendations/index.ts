import type { RequestHandler } from 'express';
import type { ProxyDeps } from '../context';

/** GET /proxy/recommendations (docs/storefront.md). */
export function recommendationsHandler(_deps: ProxyDeps): RequestHandler {
  return (_req, res) => {
    res.status(404).json({ error: 'not_found' });
  };
}
