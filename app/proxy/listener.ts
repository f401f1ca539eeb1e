import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RateLimiter, RateLimitRule } from '../http/rate-limit';
import { jsonAnswer, type ProxyAnswer } from './answer';
import { clientAddress } from './client-address';
import { PROXY_PATH, type ProxyDeps, type ProxyRequestContext } from './context';
import { eventsAnswerer } from './events';
import { recommendationsAnswerer, recommendationsMemory } from './recommendations';
import { frequencyCaps, SponsoredSlots } from './sponsored';
import { readTextBody } from './read-body';
import { verifyProxyQuery } from './verify';

/** Events bodies above this are refused (413): a beacon of 50 events is far smaller. */
export const EVENTS_BODY_LIMIT_BYTES = 32 * 1024;

/** The storefront reads' limit (events keep their own, per visitor and address, in one script). */
export interface ProxyLimits {
  limiter: RateLimiter;
  /** Recommendations and sponsored requests per shopper address, per shop. */
  readsPerAddress: RateLimitRule;
}

/** A node:http listener for the proxy paths: true when it took the request, false to pass it on. */
export type ProxyListener = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The storefront endpoints behind Shopify's app proxy (`/apps/shelfwise/…` on the shop's domain),
 * served on plain node:http: every storefront page calls them, so they skip the framework's
 * per-request work (routing through every router, header helpers, ETags). Each request's query
 * signature is checked first: 401, nothing read or written otherwise.
 */
export function createProxyListener(deps: ProxyDeps, { limits }: { limits?: ProxyLimits } = {}): ProxyListener {
  const memory = recommendationsMemory(deps);
  const sponsored = new SponsoredSlots({ db: deps.db, caps: frequencyCaps(deps.redis, deps.queuePrefix), logger: deps.logger, cacheMs: deps.storefront.cacheMs, now: deps.now });
  const routes: Record<string, { method: string; answer: (proxy: ProxyRequestContext, req: IncomingMessage, query: URLSearchParams) => Promise<ProxyAnswer> }> = {
    [`${PROXY_PATH}/recommendations`]: { method: 'GET', answer: recommendationsAnswerer(deps, { sponsored, memory }) },
    [`${PROXY_PATH}/sponsored`]: { method: 'GET', answer: recommendationsAnswerer(deps, { sponsored, sponsoredOnly: true, memory }) },
    [`${PROXY_PATH}/events`]: { method: 'POST', answer: eventsRoute(deps) },
  };
  return (req, res) => {
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    const pathname = mark < 0 ? url : url.slice(0, mark);
    if (!pathname.startsWith(`${PROXY_PATH}/`)) return false;
    // Every proxy path, known or not, answers only a signed request: nothing is learnt unsigned.
    const query = new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1));
    const check = verifyProxyQuery(query, { secret: deps.apiSecret, nowSeconds: Math.floor(deps.now() / 1000) });
    if (!check.ok) {
      write(res, jsonAnswer(401, { error: 'unauthorized', reason: check.reason }));
      return true;
    }
    const route = routes[pathname];
    if (!route) {
      write(res, jsonAnswer(404, { error: 'not_found' }));
      return true;
    }
    if (req.method !== route.method) {
      write(res, jsonAnswer(405, { error: 'method_not_allowed' }, { Allow: route.method }));
      return true;
    }
    if (route.method === 'GET' && hasBody(req)) {
      // A read carries no body; one that does is not a storefront block (and is not read).
      write(res, jsonAnswer(413, { error: 'payload_too_large' }, { Connection: 'close' }));
      return true;
    }
    const proxy = { shop: check.shop, loggedInCustomerId: check.loggedInCustomerId };
    const answered = limits && route.method === 'GET' ? limitedAnswer(limits, proxy, req, query, route.answer) : route.answer(proxy, req, query);
    answered.then(
      (answer) => write(res, answer),
      (error: unknown) => {
        // Never the error's message: it may name internals.
        deps.logger.error({ err: error, path: url.slice(0, mark < 0 ? undefined : mark) }, 'app proxy request failed');
        write(res, jsonAnswer(500, { error: 'internal_error' }));
      },
    );
    return true;
  };
}

/** A request that declares a body (a length above 0, or chunks). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** The answer, or 429 once the shopper's address is past the shop's read limit. */
async function limitedAnswer(
  limits: ProxyLimits,
  proxy: ProxyRequestContext,
  req: IncomingMessage,
  query: URLSearchParams,
  answer: (proxy: ProxyRequestContext, req: IncomingMessage, query: URLSearchParams) => Promise<ProxyAnswer>,
): Promise<ProxyAnswer> {
  const allowed = await limits.limiter.hit(limits.readsPerAddress, { shop: proxy.shop, address: clientAddress(req) });
  if (!allowed.ok) return jsonAnswer(429, { error: 'rate_limited' }, { 'Retry-After': String(allowed.retryAfterSeconds) });
  return answer(proxy, req, query);
}

function eventsRoute(deps: ProxyDeps) {
  const answer = eventsAnswerer(deps);
  return async (proxy: ProxyRequestContext, req: IncomingMessage): Promise<ProxyAnswer> => {
    const body = await readTextBody(req, { limit: EVENTS_BODY_LIMIT_BYTES, types: ['application/json', 'text/plain'] });
    if (!body.ok) return jsonAnswer(body.status, { error: body.reason });
    return answer(proxy, { text: body.text, userAgent: req.headers['user-agent'], clientAddress: clientAddress(req) });
  };
}

function write(res: ServerResponse, answer: ProxyAnswer): void {
  if (res.headersSent) return;
  // A flat [name, value, …] list: node:http takes it as is, where an object is copied first.
  const headers: string[] = [];
  if (answer.headers) for (const name of Object.keys(answer.headers)) headers.push(name, answer.headers[name]!);
  headers.push(
    // Storefront answers are per visitor and per cart: never cached by Shopify's edge or the browser.
    'Cache-Control',
    'no-store',
    'X-Content-Type-Options',
    'nosniff',
    'Content-Type',
    answer.contentType,
    'Content-Length',
    String(Buffer.byteLength(answer.body)),
  );
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}
