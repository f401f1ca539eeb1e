import { createHmac } from 'node:crypto';

/** X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the exact body bytes, keyed with the app secret. */
export function shopifyWebhookHmac(rawBody: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}
