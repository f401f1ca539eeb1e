import { createHmac } from 'node:crypto';
import { shopifyWebhookHmac } from '../../replay/shopify-hmac';

/**
 * The OAuth redirect's `hmac`: every other query parameter, sorted by name, joined as a query
 * string, HMAC-SHA256 with the app secret, hex. This is how Shopify signs the callback.
 */
export function signAdminQuery(params: Record<string, string>, apiSecret: string): string {
  const message = new URLSearchParams(
    Object.entries(params)
      .filter(([key]) => key !== 'hmac' && key !== 'signature')
      .sort(([a], [b]) => a.localeCompare(b)),
  ).toString();
  return createHmac('sha256', apiSecret).update(message).digest('hex');
}

/** `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body with the app secret. */
export function signWebhookBody(body: string, apiSecret: string): string {
  return shopifyWebhookHmac(body, apiSecret);
}
