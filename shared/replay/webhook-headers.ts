import { shopifyWebhookHmac } from './shopify-hmac';

export interface SignedWebhook {
  topic: string;
  shop: string;
  apiVersion: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
}

/** The headers Shopify sends with a webhook delivery, the HMAC over `rawBody` included. */
export function webhookHeaders(webhook: SignedWebhook, rawBody: string, secret: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': webhook.topic,
    'x-shopify-shop-domain': webhook.shop,
    'x-shopify-api-version': webhook.apiVersion,
    'x-shopify-webhook-id': webhook.webhookId,
    'x-shopify-event-id': webhook.eventId,
    'x-shopify-triggered-at': webhook.triggeredAt,
    'x-shopify-hmac-sha256': shopifyWebhookHmac(rawBody, secret),
  };
}
