import { randomUUID } from 'node:crypto';
import { createHttpPoster, createWebhookSender, type DeliveryOutcome } from '../../replay';
import type { CheckoutOrderPayload } from './checkout-order';

export interface OrderWebhookTarget {
  /** The app's `POST /webhooks` URL. */
  webhooksUrl: string;
  /** The app's API secret: the HMAC key. */
  secret: string;
  /** X-Shopify-API-Version. */
  apiVersion: string;
  shop: string;
}

export interface OrderWebhookSender {
  /** Signs and POSTs `orders/create` (retried on 5xx, 429 and dropped connections, as Shopify does). */
  send(order: CheckoutOrderPayload, at: number): Promise<DeliveryOutcome>;
  close(): void;
}

/**
 * Shopify's delivery of a new order: the headers (topic, shop, API version, webhook and event
 * ids, triggered-at) and X-Shopify-Hmac-Sha256 over the raw body with the app's secret, through
 * the replay client's signer and sender (shared/replay). Each checkout is a new delivery.
 */
export function createOrderWebhookSender(target: OrderWebhookTarget): OrderWebhookSender {
  const poster = createHttpPoster({ url: target.webhooksUrl, maxSockets: 2 });
  const sender = createWebhookSender({ poster, secret: target.secret, retries: 3 });
  return {
    send(order, at) {
      const webhook = { topic: 'orders/create', shop: target.shop, apiVersion: target.apiVersion, webhookId: randomUUID(), eventId: randomUUID(), triggeredAt: new Date(at).toISOString() };
      return sender.send(webhook, JSON.stringify(order));
    },
    close: () => poster.close(),
  };
}
