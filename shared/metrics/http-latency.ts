import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histogram, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './registry';

const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * A few route groups, never the raw path: paths carry shop domains and ids, and a label per
 * path would grow without bound.
 */
export function routeGroup(path: string): string {
  if (path === '/webhooks' || path.startsWith('/webhooks/')) return 'webhooks';
  if (path.startsWith('/proxy/')) return 'proxy';
  if (path.startsWith('/api/')) return 'admin_api';
  if (path === '/admin' || path.startsWith('/admin/')) return 'admin';
  if (path === '/auth' || path.startsWith('/auth/')) return 'auth';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return 'ops';
  return 'other';
}

export interface HttpLatency {
  histogram: Histogram<'route' | 'status_class'>;
  /** Starts timing one request (once, however often called); observed when the response finishes. */
  observe(req: IncomingMessage, res: ServerResponse): void;
}

/** `shelfwise_http_request_duration_seconds{route,status_class}` in the web process. */
export function registerHttpLatency(registry: Registry): HttpLatency {
  const histogram = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'HTTP request latency by route group and status class (2xx, 4xx, 5xx, ...)',
    labelNames: ['route', 'status_class'],
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  // A request the proxy listener timed is not timed again if it falls through to Express.
  const timed = new WeakSet<IncomingMessage>();
  return {
    histogram,
    observe(req, res) {
      if (timed.has(req)) return;
      timed.add(req);
      const started = process.hrtime.bigint();
      const route = routeGroup((req.url ?? '/').split('?')[0]!);
      res.once('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        histogram.observe({ route, status_class: `${Math.floor(res.statusCode / 100)}xx` }, seconds);
      });
    },
  };
}
