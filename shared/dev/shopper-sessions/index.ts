/**
 * Simulated shopper sessions (docs/demo-traffic.md): a seeded, repeatable storefront audience that
 * drives a running app over HTTP only — signed app-proxy block requests, event beacons, signed
 * order, refund and cancellation webhooks — so that attribution, holdout and campaign reports have
 * numbers. Development use: `shelfwise demo` runs it after training.
 */
export { runShopperSessions, type ShopperSessionsOptions, type ShopperSessionsResult } from './run-shopper-sessions';
export { formatShopperSessions, type ShopperSessionsSummary } from './session-summary';
export { DEFAULT_BEHAVIOUR, type ShopperBehaviour } from './behaviour';
export { DEMO_VENDORS, PRODUCTS_PER_CAMPAIGN } from './demo-campaigns';
export { VISITOR_NOTE_ATTRIBUTE } from './order-payloads';
export { SIMULATED_ORDER_NAME_PREFIX } from './simulated-ids';
export type { BrowsableProduct } from './shopper-catalog';
export { waitForStorefrontEventsStored } from './events-drain';
