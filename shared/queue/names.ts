/** The queues both processes agree on. */
export const QUEUE = {
  /** Webhook deliveries, verified and deduplicated, waiting to be written to the store. */
  ingest: 'ingest',
  /** Bulk-operation syncs of a shop's catalog and orders (install and daily reconciliation). */
  sync: 'sync',
  /** Per-shop model training: scheduled, triggered by new orders, after install, or by hand. */
  train: 'train',
} as const;

export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];
