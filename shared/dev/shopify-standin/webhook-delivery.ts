import { randomUUID } from 'node:crypto';
import { WEBHOOK_TOPICS } from '../../queue';
import { signWebhookBody } from './signing';
import type { RecordedDelivery, StandinState } from './state';

const HEADER_TOPICS = new Map<string, string>(WEBHOOK_TOPICS.map((t) => [t.toUpperCase().replace(/[/.]/g, '_'), t]));

/** `PRODUCTS_CREATE` → `products/create`: the form the X-Shopify-Topic header uses. */
export function headerTopic(enumTopic: string): string {
  return HEADER_TOPICS.get(enumTopic) ?? enumTopic.toLowerCase().replace('_', '/');
}

/**
 * Delivers a webhook to every subscription of the shop for the topic, signed with the app
 * secret and with Shopify's headers. Outcomes are recorded in `state.deliveries`; a failure
 * never throws (Shopify would retry later; the stand-in does not).
 */
export async function deliverWebhook(
  state: StandinState,
  options: { apiSecret: string; apiVersion: string; shop: string; topic: string; payload: unknown; eventId?: string },
): Promise<void> {
  const subscriptions = state.shop(options.shop).webhookSubscriptions.filter((s) => s.topic === options.topic);
  const body = JSON.stringify(options.payload);
  const eventId = options.eventId ?? randomUUID();
  await Promise.all(
    subscriptions.map(async (subscription) => {
      const webhookId = randomUUID();
      const url = subscription.endpoint.callbackUrl;
      const record: RecordedDelivery = { shop: options.shop, topic: headerTopic(options.topic), url, webhookId, status: null };
      state.deliveries.push(record);
      try {
        const response = await fetch(url, {
          method: 'POST',
          body,
          headers: {
            'Content-Type': 'application/json',
            'X-Shopify-Topic': headerTopic(options.topic),
            'X-Shopify-Hmac-Sha256': signWebhookBody(body, options.apiSecret),
            'X-Shopify-Shop-Domain': options.shop,
            'X-Shopify-API-Version': options.apiVersion,
            'X-Shopify-Webhook-Id': webhookId,
            'X-Shopify-Event-Id': eventId,
            'X-Shopify-Triggered-At': new Date().toISOString(),
          },
          signal: AbortSignal.timeout(5000),
        });
        record.status = response.status;
        await response.body?.cancel();
      } catch (error) {
        record.error = (error as Error).message;
      }
    }),
  );
}
