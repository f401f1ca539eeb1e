import { encodeStreamEntry, type RecommendationToken, type StorefrontEventEntry, type StorefrontEventInput } from '../../../shared/tracking';
import type { EventToAppend } from './append-events';
import type { VisitorIdentity } from './visitor-identity';

/** Tokens may be issued this far "later" than our clock (verifyRecommendationToken's default skew). */
export const TOKEN_SKEW_MS = 300_000;

/**
 * A checked event as the worker will store it: what its token says (placement, product, slot,
 * model, sponsorship), the identities the shopper allowed, and its time. The shopper's clock
 * dates the event unless it is implausible (before the token was issued, or ahead of ours), then
 * the receipt time does.
 */
export function toStreamEntry(input: {
  shop: string;
  event: StorefrontEventInput;
  token: RecommendationToken;
  identity: VisitorIdentity;
  nowMs: number;
  /** A sponsored click repeating the shopper's click on the same campaign's product (sponsored-repeats.ts). */
  repeat?: boolean;
}): EventToAppend {
  const { shop, event, token, identity, nowMs } = input;
  const plausible = event.at >= token.issuedAt * 1000 - TOKEN_SKEW_MS && event.at <= nowMs + TOKEN_SKEW_MS;
  const entry: StorefrontEventEntry = {
    v: 1,
    shop,
    id: event.id,
    type: event.type,
    occurred_at: plausible ? event.at : nowMs,
    received_at: nowMs,
    consent: identity.consent,
    visitor_key: identity.visitorKey,
    customer_key: identity.customerKey,
    impression_id: token.impressionId,
    placement: token.placement,
    product_id: token.productId,
    position: token.position,
    model_version: token.modelVersion,
    sponsored: token.sponsored,
    ...(token.sponsorship ? { campaign_id: token.sponsorship.campaignId, price_minor: token.sponsorship.priceMinor } : {}),
    ...(input.repeat ? { repeat: true } : {}),
    token: event.token,
    ...(event.variant_id !== undefined ? { variant_id: event.variant_id } : {}),
    ...(event.quantity !== undefined ? { quantity: event.quantity } : {}),
  };
  return {
    id: event.id,
    isClick: event.type === 'click',
    // The MAC ends the token and is unique to it: a short name for its counter.
    tokenMac: event.token.slice(event.token.lastIndexOf('.') + 1),
    entry: encodeStreamEntry(entry),
  };
}
