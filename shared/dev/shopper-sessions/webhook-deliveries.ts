import { createHttpPoster, createWebhookSender, type DeliveryOutcome } from '../../replay';
import { webhookIds } from './simulated-ids';

/** Accepted, duplicate (a repeated webhook id: a second run) and failed deliveries. */
export interface DeliveryTally {
  accepted: number;
  duplicates: number;
  failed: number;
}

export interface WebhookDeliveries {
  /** Signs and POSTs one delivery; `what` names it within the seed's traffic (ids derive from it). */
  send(topic: string, what: string, payload: unknown, triggeredAtMs: number): Promise<DeliveryOutcome>;
  tally: DeliveryTally;
  failures: string[];
  close(): void;
}

/**
 * Webhooks as Shopify delivers them (shared/replay's signer and sender: HMAC of the raw body,
 * retries on 5xx and 429), with webhook and event ids derived from the seed and the delivery,
 * so a second run's deliveries are the same deliveries and are answered as duplicates.
 */
export function createWebhookDeliveries(o: { baseUrl: string; shop: string; apiSecret: string; apiVersion: string; seed: number; concurrency: number }): WebhookDeliveries {
  const poster = createHttpPoster({ url: `${o.baseUrl.replace(/\/$/, '')}/webhooks`, maxSockets: o.concurrency });
  const sender = createWebhookSender({ poster, secret: o.apiSecret });
  const tally: DeliveryTally = { accepted: 0, duplicates: 0, failed: 0 };
  const failures: string[] = [];
  return {
    tally,
    failures,
    async send(topic, what, payload, triggeredAtMs) {
      const ids = webhookIds(topic, o.seed, what);
      const outcome = await sender.send(
        { topic, shop: o.shop, apiVersion: o.apiVersion, ...ids, triggeredAt: new Date(triggeredAtMs).toISOString() },
        JSON.stringify(payload),
      );
      if (outcome.outcome === 'accepted') tally.accepted++;
      else if (outcome.outcome === 'duplicate') tally.duplicates++;
      else {
        tally.failed++;
        failures.push(`${topic} ${what}: ${outcome.reason}`);
      }
      return outcome;
    },
    close: () => poster.close(),
  };
}
