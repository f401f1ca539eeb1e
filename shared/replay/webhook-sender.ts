import type { HttpPoster, HttpResponse } from './http-poster';
import { webhookHeaders, type SignedWebhook } from './webhook-headers';

export type DeliveryOutcome =
  | { outcome: 'accepted'; status: number; attempts: number }
  | { outcome: 'duplicate'; status: number; attempts: number }
  | { outcome: 'failed'; status: number | null; attempts: number; reason: string };

export interface WebhookSenderOptions {
  poster: HttpPoster;
  /** The app's API secret: the HMAC key. */
  secret: string;
  /** Tries after the first, on 5xx, 429 and connection errors. Default 5. */
  retries?: number;
  /** First backoff in ms, doubled on each retry (capped at 30 s). Default 250. */
  backoffMs?: number;
  /** Waits between tries; tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
}

export interface WebhookSender {
  send(webhook: SignedWebhook, rawBody: string): Promise<DeliveryOutcome>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Our app answers `{ ok: true, duplicate: true }` for a webhook id it has seen; any 2xx is accepted. */
function isDuplicate(response: HttpResponse): boolean {
  try {
    return (JSON.parse(response.body) as { duplicate?: unknown }).duplicate === true;
  } catch {
    return false;
  }
}

function retryAfterMs(response: HttpResponse): number | undefined {
  const value = Number(response.headers['retry-after']);
  return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

/**
 * Sends signed deliveries the way Shopify does and judges the answer the way Shopify does:
 * 2xx is delivered, anything else is not. 5xx, 429 and dropped connections are retried with
 * exponential backoff; other 4xx (a bad signature, say) cannot get better and fail at once.
 */
export function createWebhookSender({ poster, secret, retries = 5, backoffMs = 250, sleep = defaultSleep }: WebhookSenderOptions): WebhookSender {
  return {
    async send(webhook, rawBody) {
      const headers = webhookHeaders(webhook, rawBody, secret);
      let last: { status: number | null; reason: string } = { status: null, reason: 'not sent' };
      let attempts = 0;
      for (let attempt = 1; attempt <= retries + 1; attempt++) {
        attempts = attempt;
        let wait = Math.min(backoffMs * 2 ** (attempt - 1), 30_000);
        try {
          const response = await poster.post(rawBody, headers);
          if (response.status >= 200 && response.status < 300) {
            return { outcome: isDuplicate(response) ? 'duplicate' : 'accepted', status: response.status, attempts: attempt };
          }
          last = { status: response.status, reason: `HTTP ${response.status} ${response.body.slice(0, 200)}`.trim() };
          if (response.status < 500 && response.status !== 429) break;
          wait = retryAfterMs(response) ?? wait;
        } catch (error) {
          last = { status: null, reason: (error as Error).message || String(error) };
        }
        if (attempt <= retries) await sleep(wait);
      }
      return { outcome: 'failed', ...last, attempts };
    },
  };
}
