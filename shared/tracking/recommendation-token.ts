import { hkdfSync } from 'node:crypto';
import { KeyedHmac } from '../crypto/keyed-hmac';

/** Where a recommended or sponsored product was shown; one letter each inside a token. */
export const TOKEN_PLACEMENTS = {
  related: 'r',
  fbt: 'f',
  for_you: 'y',
  cart: 'c',
  sponsored: 's',
} as const;
export type TokenPlacement = keyof typeof TOKEN_PLACEMENTS;
const PLACEMENT_OF_CODE = Object.fromEntries(Object.entries(TOKEN_PLACEMENTS).map(([p, c]) => [c, p])) as Record<string, TokenPlacement>;

/** What a recommendation token says: one product in one served list. */
export interface RecommendationToken {
  /** Id of the served list (one response): ties impressions, clicks and orders together. */
  impressionId: string;
  placement: TokenPlacement;
  productId: string;
  /** 0-based slot in the list as served. */
  position: number;
  /** Model version the list came from; null when no model served (catalog fallback). */
  modelVersion: string | null;
  sponsored: boolean;
  /** Epoch seconds. */
  issuedAt: number;
  /**
   * A sponsored slot's auction result: the campaign that won it and the price of a click
   * (generalized second price, minor units of the shop's currency). Signed with the rest, so
   * the charge a click causes is fixed when the slot is served and cannot be edited by a shopper.
   */
  sponsorship?: Sponsorship | null;
}

export interface Sponsorship {
  /** sponsored_campaigns.id (decimal digits). */
  campaignId: string;
  /** Price of one click, integer minor units. */
  priceMinor: number;
}

export type TokenVerification =
  | { ok: true; token: RecommendationToken }
  | { ok: false; reason: 'malformed' | 'invalid_signature' | 'expired' | 'from_the_future' };

const VERSION = '1';
/** Sponsored tokens: version 1's fields, then the campaign and the click price. */
const SPONSORED_VERSION = '2';
const CAMPAIGN_ID = /^[0-9]{1,18}$/;
const MAX_PRICE_MINOR = 36 ** 6 - 1;
/** 96 bits of HMAC-SHA256, base64url: short enough for a line-item property, far beyond guessing. */
const MAC_CHARS = 16;
const MAC_SHAPE = new RegExp(`^[0-9A-Za-z_-]{${MAC_CHARS}}$`);
const ID = /^[0-9A-Za-z_-]{1,64}$/;
/** Largest values the verifier reads back: 4 and 8 base-36 digits. */
const MAX_POSITION = 36 ** 4 - 1;
const MAX_ISSUED_AT = 36 ** 8 - 1;

/** The token key, derived from the encryption key so that operators manage one secret. */
export function recommendationTokenKey(tokenEncryptionKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', tokenEncryptionKey, Buffer.alloc(0), 'shelfwise/recommendation-token/v1', 32));
}

/**
 * The keys tokens verify with: the current TOKEN_ENCRYPTION_KEY's first (the one that signs),
 * then those of TOKEN_ENCRYPTION_KEYS_PREVIOUS, so tokens issued before a key rotation still
 * verify (attribution windows reach 14 days back) while new ones are signed with the new key.
 */
export function recommendationTokenKeys(config: { tokenEncryptionKey: Buffer; tokenEncryptionKeysPrevious?: readonly Buffer[] }): Buffer[] {
  return [config.tokenEncryptionKey, ...(config.tokenEncryptionKeysPrevious ?? [])].map(recommendationTokenKey);
}

/** Each token key's padded HMAC blocks, made once (a process holds one key; tests make many). */
const keyed = new WeakMap<Buffer, KeyedHmac>();

function mac(key: Buffer, shop: string, body: string): string {
  let hmac = keyed.get(key);
  if (!hmac) keyed.set(key, (hmac = new KeyedHmac(key)));
  // The shop is signed but not carried: a token minted for one shop is invalid in every other.
  return hmac.digest(`${shop}\u0000${body}`, 'base64url').slice(0, MAC_CHARS);
}

/** Compares two MACs of MAC_CHARS characters without an early exit (no timing hint of where they differ). */
function sameMac(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < MAC_CHARS; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * `1.<placement><sponsored>.<position>.<product>.<issued>.<impression>.<version>.<mac>`, numbers
 * in base 36: about 60 characters, safe in URLs, cart properties and order notes as is. A
 * sponsored slot's token is `2.…<version>.<campaign>.<price>.<mac>` (about 70 characters).
 */
export function signRecommendationToken(key: Buffer, shop: string, token: RecommendationToken): string {
  if (!ID.test(token.productId) || !ID.test(token.impressionId) || (token.modelVersion !== null && !ID.test(token.modelVersion))) {
    throw new RangeError('token ids must be 1-64 characters of [0-9A-Za-z_-]');
  }
  // A fraction or a negative number would print a '.' or '-' in base 36 and mint a token that
  // never verifies (or splits into the wrong fields); refuse it here instead.
  if (!Number.isSafeInteger(token.position) || token.position < 0 || token.position > MAX_POSITION) {
    throw new RangeError(`token position must be an integer in 0-${MAX_POSITION}`);
  }
  if (!Number.isSafeInteger(token.issuedAt) || token.issuedAt < 0 || token.issuedAt > MAX_ISSUED_AT) {
    throw new RangeError('token issuedAt must be whole epoch seconds');
  }
  const sponsorship = token.sponsorship ?? null;
  if (sponsorship) {
    if (!token.sponsored) throw new RangeError('a token with a sponsorship must be sponsored');
    if (!CAMPAIGN_ID.test(sponsorship.campaignId)) throw new RangeError('token campaignId must be 1-18 decimal digits');
    if (!Number.isSafeInteger(sponsorship.priceMinor) || sponsorship.priceMinor < 0 || sponsorship.priceMinor > MAX_PRICE_MINOR) {
      throw new RangeError(`token priceMinor must be an integer in 0-${MAX_PRICE_MINOR}`);
    }
  }
  const fields = [
    sponsorship ? SPONSORED_VERSION : VERSION,
    `${TOKEN_PLACEMENTS[token.placement]}${token.sponsored ? '1' : '0'}`,
    token.position.toString(36),
    token.productId,
    token.issuedAt.toString(36),
    token.impressionId,
    token.modelVersion ?? '',
  ];
  if (sponsorship) fields.push(sponsorship.campaignId, sponsorship.priceMinor.toString(36));
  const body = fields.join('.');
  return `${body}.${mac(key, shop, body)}`;
}

export interface VerifyTokenOptions {
  /** Epoch seconds. */
  nowSeconds: number;
  /** Tokens issued longer ago than this are `expired`; omitted: no age limit (attribution). */
  maxAgeSeconds?: number;
  /** Clock skew tolerated for tokens issued "later" than now, in seconds. Default 300. */
  maxSkewSeconds?: number;
  /**
   * This exact token's signature was verified for this shop before and the result kept (a stored
   * credit's token): only its shape and age are checked, so retiring the key it was signed with
   * does not undo what it already proved.
   */
  signatureVerified?: boolean;
}

/**
 * Checks a token's signature for `shop` (constant time per key, with `key` or any of `keys`:
 * recommendationTokenKeys) and its age; never throws.
 */
export function verifyRecommendationToken(key: Buffer | readonly Buffer[], shop: string, raw: unknown, options: VerifyTokenOptions): TokenVerification {
  if (typeof raw !== 'string' || raw.length > 300) return { ok: false, reason: 'malformed' };
  const parts = raw.split('.');
  const sponsoredShape = parts[0] === SPONSORED_VERSION;
  if (parts.length !== (sponsoredShape ? 10 : 8) || (parts[0] !== VERSION && !sponsoredShape)) return { ok: false, reason: 'malformed' };
  const [, kind, position, productId, issued, impressionId, modelVersion] = parts as [string, string, string, string, string, string, string];
  const signature = parts[parts.length - 1]!;
  let sponsorship: Sponsorship | null = null;
  if (sponsoredShape) {
    const [campaignId, price] = [parts[7]!, parts[8]!];
    if (!CAMPAIGN_ID.test(campaignId) || !/^[0-9a-z]{1,6}$/.test(price) || kind[1] !== '1') return { ok: false, reason: 'malformed' };
    sponsorship = { campaignId, priceMinor: parseInt(price, 36) };
  }
  const placement = PLACEMENT_OF_CODE[kind[0] ?? ''];
  if (!placement || kind.length !== 2 || (kind[1] !== '0' && kind[1] !== '1')) return { ok: false, reason: 'malformed' };
  if (!/^[0-9a-z]{1,4}$/.test(position) || !/^[0-9a-z]{1,8}$/.test(issued)) return { ok: false, reason: 'malformed' };
  if (!ID.test(productId) || !ID.test(impressionId) || (modelVersion !== '' && !ID.test(modelVersion))) return { ok: false, reason: 'malformed' };
  if (!MAC_SHAPE.test(signature)) return { ok: false, reason: 'malformed' };
  // The signed body is the token up to its last '.': the parts as split, joined again.
  const body = raw.slice(0, raw.length - signature.length - 1);
  const keys = Buffer.isBuffer(key) ? [key] : key;
  if (!options.signatureVerified && !keys.some((k) => sameMac(signature, mac(k, shop, body)))) return { ok: false, reason: 'invalid_signature' };
  const issuedAt = parseInt(issued, 36);
  if (issuedAt > options.nowSeconds + (options.maxSkewSeconds ?? 300)) return { ok: false, reason: 'from_the_future' };
  if (options.maxAgeSeconds !== undefined && options.nowSeconds - issuedAt > options.maxAgeSeconds) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    token: {
      impressionId,
      placement,
      productId,
      position: parseInt(position, 36),
      modelVersion: modelVersion || null,
      sponsored: kind[1] === '1',
      issuedAt,
      ...(sponsorship ? { sponsorship } : {}),
    },
  };
}
