import { lineNetMinor, orderCounts } from './net-revenue';
import type { AttributionLine, AttributionOrder, AttributionRefundLine, StorefrontTouch } from './order-input';
import { cartAttributeTokens, later, lineItemTokens, tokenReader, touchFromToken, type Touch, type TokenReader } from './touches';
import { clickWindowSeconds, withinWindow, type AttributionWindows } from './windows';

export interface AttributeOrderInput {
  shop: string;
  /** Recommendation token key, or keys (shared/tracking recommendationTokenKeys). */
  tokenKey: Buffer | readonly Buffer[];
  windows: AttributionWindows;
  order: AttributionOrder;
  lineItems: readonly AttributionLine[];
  refundLines: readonly AttributionRefundLine[];
  /** The customer's consented storefront events; others are ignored. */
  events: readonly StorefrontTouch[];
  /**
   * The touches of the order's stored click and view credits, whoever's they are: the evidence
   * of a credit outlives its raw event (purged after EVENT_RETENTION_DAYS, or with a redacted
   * customer's rows), so re-attributing an old order later (a refund, the daily reconcile) keeps
   * it. They pass the same checks as events (token, product, window) and compete with them.
   */
  retained?: readonly StorefrontTouch[];
  /**
   * Tokens of the order's stored credits (any source): verified for this shop when they were
   * stored, so they keep crediting after the key that signed them is retired (key rotation).
   */
  verifiedTokens?: ReadonlySet<string>;
}

/** The credit one order line earned, with its net revenue. */
export interface LineCredit extends Touch {
  lineItemId: string;
  /** Integer minor units of `currency`, never negative. */
  netMinor: number;
  currency: string;
  presentmentCurrency: string | null;
  orderCreatedAt: Date;
  /** UTC day of the order, `YYYY-MM-DD`. */
  day: string;
}

/** The UTC calendar day of an instant, `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** `later`'s order on stored events (time, then token, then id), latest first. */
function latestEventFirst(a: StorefrontTouch, b: StorefrontTouch): number {
  const at = b.occurredAt.getTime() - a.occurredAt.getTime();
  if (at !== 0) return at;
  if (a.token !== b.token) return a.token > b.token ? -1 : 1;
  return a.id === b.id ? 0 : a.id > b.id ? -1 : 1;
}

/** Tokens are whole seconds and our server's clock; one "after" the order is clock skew. */
function tokenTouch(raw: string, read: TokenReader, source: 'property' | 'cart_attribute', orderedAtMs: number, windows: AttributionWindows): Touch | null {
  const token = read(raw);
  if (!token) return null;
  const touchedAtMs = Math.min(token.issuedAt * 1000, orderedAtMs);
  if (!withinWindow(touchedAtMs, orderedAtMs, clickWindowSeconds(windows, token.sponsored))) return null;
  return touchFromToken(raw, token, source, touchedAtMs);
}

/**
 * At most one credit per line item of the order, the first source that has one winning:
 * 1. the line's own `_shelfwise` property token (naming the line's product, when it has one);
 * 2. a cart attribute token naming the line's product;
 * 3. the customer's last click on the line's product within its click window;
 * 4. the customer's last sponsored impression of the product within the view window.
 * Within a source the latest touch wins. A token that does not verify for this shop, or whose
 * window had closed when the order was placed, credits nothing. Cancelled and test orders get
 * no credits at all.
 */
export function attributeOrder(input: AttributeOrderInput): LineCredit[] {
  const { order, windows } = input;
  if (!orderCounts(order)) return [];
  const orderedAtMs = order.createdAt.getTime();
  const read = tokenReader(input.tokenKey, input.shop, orderedAtMs, input.verifiedTokens);

  const cartTouches = cartAttributeTokens(order.noteAttributes)
    .map((raw) => tokenTouch(raw, read, 'cart_attribute', orderedAtMs, windows))
    .filter((t): t is Touch => t !== null);

  // Events of this customer only (consented rows carry the same pseudonym as the order), by
  // product, latest first in `later`'s order: a line's winner is the first whose token verifies
  // and whose window holds, so most events' tokens are never verified (a 100-line order with a
  // few hundred events verifies about one token per line).
  const clicksByProduct = new Map<string, StorefrontTouch[]>();
  const viewsByProduct = new Map<string, StorefrontTouch[]>();
  const collect = (event: StorefrontTouch) => {
    if (event.type !== 'click' && event.type !== 'impression') return;
    const byProduct = event.type === 'click' ? clicksByProduct : viewsByProduct;
    const list = byProduct.get(event.productId);
    if (list) list.push(event);
    else byProduct.set(event.productId, [event]);
  };
  if (order.customerKey) for (const event of input.events) if (event.customerKey === order.customerKey) collect(event);
  for (const touch of input.retained ?? []) collect(touch);
  const lastEventTouch = (events: StorefrontTouch[] | undefined, source: 'click' | 'view'): Touch | null => {
    if (!events) return null;
    events.sort(latestEventFirst);
    for (const event of events) {
      const token = read(event.token);
      if (!token || token.productId !== event.productId) continue;
      const at = event.occurredAt.getTime();
      if (source === 'click' ? withinWindow(at, orderedAtMs, clickWindowSeconds(windows, token.sponsored)) : token.sponsored && withinWindow(at, orderedAtMs, windows.sponsoredViewSeconds)) {
        return touchFromToken(event.token, token, source, at, event.id);
      }
    }
    return null;
  };
  const eventTouches = new Map<string, { click: Touch | null; view: Touch | null }>();
  const eventTouchesOf = (productId: string) => {
    let found = eventTouches.get(productId);
    if (!found) {
      const click = lastEventTouch(clicksByProduct.get(productId), 'click');
      found = { click, view: click ? null : lastEventTouch(viewsByProduct.get(productId), 'view') };
      eventTouches.set(productId, found);
    }
    return found;
  };

  const refunded = new Map<string, number>();
  for (const r of input.refundLines) refunded.set(r.lineItemId, (refunded.get(r.lineItemId) ?? 0) + r.subtotalMinor);

  const credits: LineCredit[] = [];
  for (const line of input.lineItems) {
    const sameProduct = (t: Touch) => line.productId !== null && t.productId === line.productId;
    const fromProperty = lineItemTokens(line.properties)
      .map((raw) => tokenTouch(raw, read, 'property', orderedAtMs, windows))
      // A line whose product was deleted since (product_id null) keeps the token it carried.
      .filter((t): t is Touch => t !== null && (line.productId === null || t.productId === line.productId));
    const winner =
      fromProperty.reduce<Touch | null>(later, null) ??
      cartTouches.filter(sameProduct).reduce<Touch | null>(later, null) ??
      (line.productId === null ? null : eventTouchesOf(line.productId).click ?? eventTouchesOf(line.productId).view);
    if (!winner) continue;
    credits.push({
      ...winner,
      lineItemId: line.id,
      netMinor: lineNetMinor({ ...line, refundedMinor: refunded.get(line.id) ?? 0 }),
      currency: order.currency,
      presentmentCurrency: order.presentmentCurrency,
      orderCreatedAt: order.createdAt,
      day: utcDay(order.createdAt),
    });
  }
  return credits;
}
