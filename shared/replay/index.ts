export { shopifyWebhookHmac } from './shopify-hmac';
export { webhookHeaders, type SignedWebhook } from './webhook-headers';
export { createHttpPoster, type HttpPoster, type HttpPosterOptions, type HttpResponse } from './http-poster';
export { createWebhookSender, type DeliveryOutcome, type WebhookSender, type WebhookSenderOptions } from './webhook-sender';
export { deliverAll, type DeliverAllOptions, type DeliveryTally } from './deliver-all';
export { createProgressLine, type ProgressLine, type ProgressLineOptions } from './progress-line';
export { formatReplaySummary, type ReplaySummary } from './replay-summary';
export { runReplay, type ReplayOptions } from './run-replay';
export { deliverCatalog, expectedDeliveries } from './deliver-catalog';
