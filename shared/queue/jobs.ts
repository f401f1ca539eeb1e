import { z } from 'zod';

export const shopDomain = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'must be a *.myshopify.com domain');

export const WEBHOOK_TOPICS = [
  'products/create',
  'products/update',
  'products/delete',
  'orders/create',
  'orders/paid',
  'orders/updated',
  'orders/cancelled',
  'refunds/create',
  'app/uninstalled',
  'bulk_operations/finish',
  'customers/data_request',
  'customers/redact',
  'shop/redact',
] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

/**
 * One verified webhook delivery. The body stays the raw text Shopify signed: the web process
 * never parses it, the ingest worker does (and fails the job for good if it is malformed).
 */
export const ingestJob = z.object({
  shop: shopDomain,
  topic: z.string().min(1),
  webhookId: z.string().min(1),
  eventId: z.string().optional(),
  /** X-Shopify-Triggered-At: when the event happened, which orders uninstalls and deletions. */
  triggeredAt: z.iso.datetime({ offset: true }).optional(),
  apiVersion: z.string().optional(),
  receivedAt: z.iso.datetime({ offset: true }),
  body: z.string(),
});
export type IngestJob = z.infer<typeof ingestJob>;

export const syncJob = z.object({
  shop: shopDomain,
  reason: z.enum(['install', 'reconcile', 'manual']),
  /** Which resources to pull; both by default. */
  resources: z.array(z.enum(['products', 'orders'])).default(['products', 'orders']),
});
export type SyncJob = z.infer<typeof syncJob>;

/** Why a shop's models are being trained. */
export const TRAIN_REASONS = ['schedule', 'orders', 'install', 'manual'] as const;
export type TrainReason = (typeof TRAIN_REASONS)[number];

export const trainJob = z.object({
  shop: shopDomain,
  reason: z.enum(TRAIN_REASONS),
  /** Train even when the shop's data has not changed since the serving version. */
  force: z.boolean().optional(),
});
export type TrainJob = z.infer<typeof trainJob>;

/**
 * BullMQ job ids must not contain ':' nor be digits only; Shopify ids and domains are folded
 * into a safe, deterministic form so enqueueing the same thing twice is a no-op.
 */
export function jobId(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9._-]/g, '_')).join('--');
}
