/** POST /proxy/events: the storefront blocks' impressions, clicks and add-to-carts (docs/storefront.md). */
export { eventsAnswerer, type EventsAnswer, type EventsRequest, type RejectedEvent } from './handler';
export { isBotUserAgent } from './bot-user-agents';
export { DEFAULT_BOT_LIMITS, looksAutomated, type BotLimits } from './bot-behaviour';
export type { EventRejection } from './check-event';
