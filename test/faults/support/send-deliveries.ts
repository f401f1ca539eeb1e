import { createHttpPoster, createWebhookSender, type SignedWebhook } from '../../../shared/replay';
import type { PlannedDelivery } from './deliveries';

export interface SendTally {
  /** HTTP deliveries made (duplicates included), each counted once however often it was tried. */
  sent: number;
  /** Answered 2xx as new. */
  accepted: number;
  /** Answered 2xx as a duplicate. */
  duplicate: number;
  /** Deliveries that needed more than one try (5xx, dropped connection). */
  retried: number;
  /** Deliveries given up on after every retry: Shopify would try again hours later. */
  failed: number;
  failures: string[];
  /**
   * Webhook ids first refused (5xx, dropped connection) and then answered "duplicate": the app
   * recognised a delivery it had not queued, unless an earlier try was in fact queued.
   */
  retriedThenDuplicate: string[];
}

/**
 * Sends every delivery to `url` (POST /webhooks) with `concurrency` in flight, retrying 5xx, 429
 * and connection errors with backoff as Shopify does (shared/replay's sender). `onProgress` sees
 * the running tally after each delivery, so a test can inject its fault mid-stream.
 */
export async function sendDeliveries(
  { url, secret, shop, deliveries, concurrency = 16, onProgress }: { url: string; secret: string; shop: string; deliveries: PlannedDelivery[]; concurrency?: number; onProgress?: (tally: SendTally) => void },
): Promise<SendTally> {
  const http = createHttpPoster({ url: `${url}/webhooks`, maxSockets: concurrency, timeoutMs: 5000 });
  // A delivery without an event id sends no X-Shopify-Event-Id header at all.
  const poster = { post: (body: string, headers: Record<string, string>) => http.post(body, Object.fromEntries(Object.entries(headers).filter(([, v]) => v))), close: () => http.close() };
  // Up to ~60 s of backoff in all: longer than any outage these tests cause.
  const sender = createWebhookSender({ poster, secret, retries: 12, backoffMs: 100 });
  const tally: SendTally = { sent: 0, accepted: 0, duplicate: 0, retried: 0, failed: 0, failures: [], retriedThenDuplicate: [] };
  let next = 0;
  const lane = async () => {
    while (next < deliveries.length) {
      const d = deliveries[next++]!;
      const webhook: SignedWebhook = { topic: d.topic, shop, webhookId: d.webhookId, eventId: d.eventId ?? '', apiVersion: '2026-07', triggeredAt: '2026-10-01T09:00:00Z' };
      const outcome = await sender.send(webhook, d.body);
      tally.sent += 1;
      if (outcome.attempts > 1) tally.retried += 1;
      if (outcome.outcome === 'accepted') tally.accepted += 1;
      else if (outcome.outcome === 'duplicate') {
        tally.duplicate += 1;
        if (outcome.attempts > 1) tally.retriedThenDuplicate.push(d.webhookId);
      }
      else {
        tally.failed += 1;
        if (tally.failures.length < 10) tally.failures.push(`${d.webhookId}: ${outcome.reason}`);
      }
      onProgress?.(tally);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, lane));
  } finally {
    poster.close();
  }
  return tally;
}
