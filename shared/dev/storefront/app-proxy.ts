import type { Request, RequestHandler } from 'express';
import { signProxyQuery } from '../../shopify';
import { rawBody } from './request-body';

/** One request the storefront forwarded to the app, kept so tests can read what the blocks sent. */
export interface ProxiedRequest {
  method: string;
  /** Path after the proxy prefix, e.g. `/events`. */
  path: string;
  /** The storefront query as the block sent it (before Shopify's additions). */
  query: string;
  contentType: string | undefined;
  body: string;
  status: number;
  response: string;
  at: number;
}

export interface AppProxyOptions {
  /** The app's `[app_proxy] url`: the web process's URL plus `/proxy`. */
  appProxyUrl: string;
  /** The app secret Shopify signs proxy queries with. */
  secret: string;
  shop: string;
  /** `/apps/shelfwise`: the storefront path the proxy answers under. */
  pathPrefix: string;
  /** Where each forwarded request is kept; none kept without it. */
  log?: ProxiedRequest[];
  /** Epoch ms; the signature's timestamp. */
  now?: () => number;
}

/** The query Shopify forwards: the storefront's own params, then shop, customer and prefix, signed. */
function forwardedQuery(req: Request, options: AppProxyOptions): string {
  const own = [...new URLSearchParams(req.originalUrl.split('?')[1] ?? '').entries()];
  const params: Array<[string, string]> = [...own, ['shop', options.shop], ['logged_in_customer_id', ''], ['path_prefix', options.pathPrefix]];
  return signProxyQuery(params, options.secret, Math.floor((options.now ?? Date.now)() / 1000));
}

/**
 * Shopify's app proxy: `/apps/shelfwise/<path>?q` on the shop's domain reaches the app as
 * `<proxy url>/<path>?q&shop&logged_in_customer_id&path_prefix&timestamp&signature`, with
 * X-Forwarded-For / X-Forwarded-Host added. The method, body and user agent go along; cookies do not.
 */
export function appProxy(options: AppProxyOptions): RequestHandler {
  return async (req, res) => {
    const path = req.path.slice(options.pathPrefix.length) || '/';
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await rawBody(req);
    const headers: Record<string, string> = {
      'user-agent': req.headers['user-agent'] ?? '',
      accept: req.headers.accept ?? '*/*',
      // Shopify names the shopper's address and the storefront's host; other headers are stripped.
      'x-forwarded-for': req.socket.remoteAddress ?? '',
      'x-forwarded-host': req.headers.host ?? '',
    };
    if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
    const answer = await fetch(`${options.appProxyUrl}${path}?${forwardedQuery(req, options)}`, { method: req.method, headers, body });
    const response = await answer.text();
    options.log?.push({
      method: req.method,
      path,
      query: req.originalUrl.split('?')[1] ?? '',
      contentType: req.headers['content-type'],
      body: body?.toString('utf8') ?? '',
      status: answer.status,
      response,
      at: Date.now(),
    });
    res.status(answer.status);
    for (const name of ['content-type', 'cache-control']) {
      const value = answer.headers.get(name);
      if (value) res.set(name, value);
    }
    res.send(response);
  };
}
