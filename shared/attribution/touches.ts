import { TOKEN_PROPERTY, verifyRecommendationToken, type RecommendationToken } from '../tracking';

/** Where a credit came from, in priority order. */
export const ATTRIBUTION_SOURCES = ['property', 'cart_attribute', 'click', 'view'] as const;
export type AttributionSource = (typeof ATTRIBUTION_SOURCES)[number];

/** Cart attribute names that may carry recommendation tokens (whitespace or comma separated). */
export const CART_TOKEN_ATTRIBUTES: readonly string[] = [TOKEN_PROPERTY, 'shelfwise_token'];

/** One thing the shopper saw or did that could earn a line its credit. */
export interface Touch {
  source: AttributionSource;
  token: string;
  /** The storefront event of a click or view. */
  eventId: string | null;
  impressionId: string;
  placement: string;
  productId: string;
  sponsored: boolean;
  campaignId: string | null;
  modelVersion: string | null;
  touchedAtMs: number;
}

/** Reads tokens signed for one shop; each raw token is verified once per order. */
export type TokenReader = (raw: string) => RecommendationToken | null;

/** `verified`: tokens of the order's stored credits, whose signatures were checked when stored. */
export function tokenReader(tokenKey: Buffer | readonly Buffer[], shop: string, orderedAtMs: number, verified: ReadonlySet<string> = new Set()): TokenReader {
  const seen = new Map<string, RecommendationToken | null>();
  // No age limit here: each source applies its own window. A token "from the future" (beyond
  // the verifier's clock skew) cannot have reached this order and is refused with the forgeries.
  const nowSeconds = Math.floor(orderedAtMs / 1000);
  return (raw) => {
    if (!seen.has(raw)) {
      const checked = verifyRecommendationToken(tokenKey, shop, raw, { nowSeconds, signatureVerified: verified.has(raw) });
      seen.set(raw, checked.ok ? checked.token : null);
    }
    return seen.get(raw) ?? null;
  };
}

export function touchFromToken(
  raw: string,
  token: RecommendationToken,
  source: AttributionSource,
  touchedAtMs: number,
  eventId: string | null = null,
): Touch {
  return {
    source,
    token: raw,
    eventId,
    impressionId: token.impressionId,
    placement: token.placement,
    productId: token.productId,
    sponsored: token.sponsored,
    campaignId: token.sponsorship?.campaignId ?? null,
    modelVersion: token.modelVersion,
    touchedAtMs,
  };
}

/** The later touch wins; equal times resolve by token, then event id, so any input order agrees. */
export function later(a: Touch | null, b: Touch): Touch {
  if (!a) return b;
  if (a.touchedAtMs !== b.touchedAtMs) return a.touchedAtMs > b.touchedAtMs ? a : b;
  if (a.token !== b.token) return a.token > b.token ? a : b;
  return (a.eventId ?? '') >= (b.eventId ?? '') ? a : b;
}

/** Tokens a cart attribute value carries. */
export function cartAttributeTokens(attributes: ReadonlyArray<{ name: string; value: string }>): string[] {
  return attributes
    .filter((a) => CART_TOKEN_ATTRIBUTES.includes(a.name) && typeof a.value === 'string')
    .flatMap((a) => a.value.split(/[\s,]+/))
    .filter(Boolean);
}

/** Tokens a line item's hidden properties carry. */
export function lineItemTokens(properties: ReadonlyArray<{ name: string; value: string }>): string[] {
  return properties.filter((p) => p.name === TOKEN_PROPERTY && typeof p.value === 'string').map((p) => p.value.trim()).filter(Boolean);
}
