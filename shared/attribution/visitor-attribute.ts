/**
 * The cart attribute the storefront block sets to the visitor id it keeps in localStorage (the
 * same id it sends to the events endpoint as `visitor_id`), so that an order can be tied to the
 * visitor's events and holdout group.
 */
export const VISITOR_CART_ATTRIBUTE = '_shelfwise_visitor';

/** What the events endpoint accepts as a `visitor_id` (shared/tracking storefrontEventsBody). */
const VISITOR_ID = /^[0-9A-Za-z_-]{8,64}$/;

/**
 * The visitor id an order's cart attributes carry, or null when there is none or it is not a
 * valid visitor id (then it is ignored, as the events endpoint would refuse it). The first valid
 * one wins.
 */
export function orderVisitorId(noteAttributes: ReadonlyArray<{ name: string; value: unknown }>): string | null {
  for (const a of noteAttributes) {
    if (a.name !== VISITOR_CART_ATTRIBUTE || typeof a.value !== 'string') continue;
    const id = a.value.trim();
    if (VISITOR_ID.test(id)) return id;
  }
  return null;
}
