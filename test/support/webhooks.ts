import { randomUUID } from 'node:crypto';
import { shopifyWebhookHmac } from '../../shared/replay';

export interface Delivery {
  topic: string;
  shop: string;
  body: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  apiVersion?: string;
}

/** Headers exactly as Shopify sends them, HMAC over the raw body with the app secret. */
export function signedHeaders(secret: string, d: Delivery): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-hmac-sha256': shopifyWebhookHmac(d.body, secret),
    'x-shopify-topic': d.topic,
    'x-shopify-shop-domain': d.shop,
    'x-shopify-api-version': d.apiVersion ?? '2026-07',
    'x-shopify-webhook-id': d.webhookId ?? randomUUID(),
  };
  if (d.eventId) headers['x-shopify-event-id'] = d.eventId;
  if (d.triggeredAt) headers['x-shopify-triggered-at'] = d.triggeredAt;
  return headers;
}

export async function postWebhook(url: string, secret: string, d: Delivery, headers?: Record<string, string>) {
  const res = await fetch(`${url}/webhooks`, { method: 'POST', headers: headers ?? signedHeaders(secret, d), body: d.body });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}
