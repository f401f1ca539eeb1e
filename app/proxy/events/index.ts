import type { RequestHandler } from 'express';
import type { ProxyDeps } from '../context';

/** POST /proxy/events (docs/storefront.md). */
export function eventsHandler(_deps: ProxyDeps): RequestHandler {
  return (_req, res) => {
    res.status(404).json({ error: 'not_found' });
  };
}
