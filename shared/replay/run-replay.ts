import { deliverCatalog } from './deliver-catalog';
import { createHttpPoster } from './http-poster';
import type { ProgressLine } from './progress-line';
import type { ReplaySummary } from './replay-summary';
import { createWebhookSender } from './webhook-sender';

export interface ReplayOptions {
  /** Online Retail II layout file, plain or gzipped. */
  file: string;
  /** The app's webhook endpoint, e.g. http://127.0.0.1:3000/webhooks. */
  url: string;
  /** The app's API secret, the HMAC key. */
  secret: string;
  /** Sent as X-Shopify-Shop-Domain. */
  shop: string;
  /** Sent as X-Shopify-API-Version. */
  apiVersion: string;
  /** Read only the first N data lines of the file. Default: all. */
  limit?: number;
  /** Only every N-th customer's rows (customer id divisible by N; no guest rows). Default: all. */
  everyNthCustomer?: number;
  /** Deliveries in flight at once (and keep-alive sockets). */
  concurrency: number;
  /** Retries per delivery on 5xx, 429 and connection errors. Default 5. */
  retries?: number;
  /** First retry backoff in ms. Default 250. */
  backoffMs?: number;
  /** Per-request timeout in ms. Default 10,000. */
  timeoutMs?: number;
  progress?: (expected: number) => ProgressLine;
  now?: () => number;
}

/**
 * `shelfwise replay`: the file's products, then its orders and refunds in time order, POSTed
 * to a running app signed exactly as Shopify signs them.
 */
export async function runReplay(options: ReplayOptions): Promise<ReplaySummary> {
  const poster = createHttpPoster({ url: options.url, maxSockets: options.concurrency, timeoutMs: options.timeoutMs });
  const sender = createWebhookSender({ poster, secret: options.secret, retries: options.retries, backoffMs: options.backoffMs });
  try {
    return await deliverCatalog({
      file: options.file,
      shop: options.shop,
      limit: options.limit,
      everyNthCustomer: options.everyNthCustomer,
      concurrency: options.concurrency,
      progress: options.progress,
      now: options.now,
      deliver: (d) =>
        sender.send(
          { topic: d.topic, shop: options.shop, apiVersion: options.apiVersion, webhookId: d.webhookId, eventId: d.eventId, triggeredAt: d.triggeredAt },
          JSON.stringify(d.payload),
        ),
    });
  } finally {
    poster.close();
  }
}
