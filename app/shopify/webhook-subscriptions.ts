import { DeliveryMethod, type AddHandlersParams } from '@shopify/shopify-api';
import { WEBHOOK_TOPICS } from '../../shared/queue';

/**
 * Compliance topics are declared in the app's TOML and delivered whether or not we subscribe;
 * the Admin API does not accept them.
 */
export const COMPLIANCE_TOPICS: ReadonlySet<string> = new Set(['customers/data_request', 'customers/redact', 'shop/redact']);

/** Topics the app subscribes to through the API at install, in the library's enum form. */
export function apiWebhookTopics(): string[] {
  return WEBHOOK_TOPICS.filter((t) => !COMPLIANCE_TOPICS.has(t)).map((t) => t.toUpperCase().replace(/[/.]/g, '_'));
}

/**
 * Every API topic delivered over HTTP to `callbackUrl`. The library registers these after
 * each offline OAuth callback, creating what is missing and removing subscriptions we no
 * longer want, so reinstalling converges on this list.
 */
export function webhookHandlers(callbackUrl: string): AddHandlersParams {
  return Object.fromEntries(apiWebhookTopics().map((topic) => [topic, { deliveryMethod: DeliveryMethod.Http, callbackUrl }]));
}
