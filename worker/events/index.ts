/** The storefront events consumer: the web process's event stream → receipts, daily counts (with and without the product), consented rows, sponsored click charges. */
export { createEventsConsumer, startEventsConsumer, type EventsConsumer, type EventsConsumerOptions, type EntriesHandled } from './consumer';
export { writeEventBatch, type BatchWritten } from './write-batch';
export { chargeSponsoredClicks, isSponsoredClick, type SponsoredClicksCharged } from './charge-clicks';
export { dailyCounts, type DailyCount } from './daily-counts';
export { eventDaily, type EventDaily } from './event-daily';
export { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
