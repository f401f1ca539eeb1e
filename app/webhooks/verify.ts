import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type WebhookCheck =
  | {
      ok: true;
      topic: string;
      shop: string;
      webhookId: string;
      apiVersion: string;
      eventId?: string;
      triggeredAt?: string;
    }
  | { ok: false; reason: 'missing_hmac' | 'invalid_hmac' | 'missing_headers'; missing?: string[] };

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Shopify's webhook signature: base64 HMAC-SHA256 of the raw body bytes with the app secret,
 * compared in constant time. Checked before anything else, on the bytes as received (no
 * re-encoding), and synchronously: this is the hot path of the web process.
 */
export function verifyWebhook(headers: IncomingHttpHeaders, rawBody: Buffer, secret: string): WebhookCheck {
  const given = header(headers, 'x-shopify-hmac-sha256');
  if (!given) return { ok: false, reason: 'missing_hmac' };
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const received = Buffer.from(given, 'base64');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return { ok: false, reason: 'invalid_hmac' };
  }
  const fields = {
    topic: header(headers, 'x-shopify-topic'),
    shop: header(headers, 'x-shopify-shop-domain'),
    webhookId: header(headers, 'x-shopify-webhook-id'),
    apiVersion: header(headers, 'x-shopify-api-version'),
  };
  const missing = Object.entries(fields)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length) return { ok: false, reason: 'missing_headers', missing };
  return {
    ok: true,
    topic: fields.topic!,
    shop: fields.shop!,
    webhookId: fields.webhookId!,
    apiVersion: fields.apiVersion!,
    eventId: header(headers, 'x-shopify-event-id'),
    triggeredAt: header(headers, 'x-shopify-triggered-at'),
  };
}
