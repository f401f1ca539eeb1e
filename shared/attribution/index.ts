/**
 * Revenue attribution rules (docs/attribution.md): which touch earns an order line its credit,
 * within which windows, and the line's net revenue in integer minor units. Pure: the worker
 * (worker/attribution) reads the rows, calls `attributeOrder` and writes what it returns.
 */
export { attributeOrder, utcDay, type AttributeOrderInput, type LineCredit } from './attribute-order';
export { lineNetMinor, orderCounts, orderNetLineMinor, type LineAmounts, type OrderStanding } from './net-revenue';
export type { AttributionLine, AttributionOrder, AttributionRefundLine, StorefrontTouch } from './order-input';
export { ATTRIBUTION_SOURCES, CART_TOKEN_ATTRIBUTES, cartAttributeTokens, lineItemTokens, type AttributionSource, type Touch } from './touches';
export { DEFAULT_ATTRIBUTION_WINDOWS, clickWindowSeconds, windowsFromSettings, withinWindow, type AttributionWindows } from './windows';
export { VISITOR_CART_ATTRIBUTE, orderVisitorId } from './visitor-attribute';
