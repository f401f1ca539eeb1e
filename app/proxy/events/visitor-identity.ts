import { customerPseudonym } from '../../../shared/crypto';
import type { StorefrontEventsBody } from '../../../shared/tracking';

/** Who sent the events, as far as the shopper allowed: pseudonyms only, never raw ids. */
export interface VisitorIdentity {
  /** `consent.analytics` was true. */
  consent: boolean;
  /** Per-shop pseudonym of `visitor_id`; null without consent or without an id. */
  visitorKey: string | null;
  /** Per-shop pseudonym of the logged-in customer (as orders store it); null without consent. */
  customerKey: string | null;
  /** Whom the rate limit and behaviour limits count: the visitor with consent, else the client address (hashed). */
  subject: string;
  /**
   * The client address (hashed) when `subject` is a visitor: a client that makes up a new visitor
   * id per beacon still shares its address's budget. Null when the subject is the address.
   */
  address: string | null;
}

/**
 * Pseudonymises before anything leaves the web process: the visitor id becomes
 * `customerPseudonym(key, shop, 'visitor:' + id)` and the customer id the same pseudonym orders
 * carry, both only with analytics consent. The client address, used only for rate limiting, is
 * hashed too so that Redis never holds it.
 */
export function visitorIdentity(input: {
  customerIdKey: string;
  shop: string;
  body: StorefrontEventsBody;
  loggedInCustomerId: string | null;
  clientAddress: string | undefined;
}): VisitorIdentity {
  const { customerIdKey, shop, body } = input;
  const consent = body.consent?.analytics === true;
  const visitorKey = consent && body.visitor_id ? customerPseudonym(customerIdKey, shop, `visitor:${body.visitor_id}`) : null;
  const customerKey = consent && input.loggedInCustomerId ? customerPseudonym(customerIdKey, shop, input.loggedInCustomerId) : null;
  const address = `a.${customerPseudonym(customerIdKey, shop, `address:${input.clientAddress ?? 'unknown'}`)}`;
  return visitorKey ? { consent, visitorKey, customerKey, subject: `v.${visitorKey}`, address } : { consent, visitorKey, customerKey, subject: address, address: null };
}
