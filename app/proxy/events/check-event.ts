import { parseStorefrontEvent, verifyRecommendationToken, type RecommendationToken, type StorefrontEventInput } from '../../../shared/tracking';

/** Why one event was not accepted (`rejected[].reason`). */
export type EventRejection =
  | 'invalid_event'
  | 'token_malformed'
  | 'token_invalid_signature'
  | 'token_expired'
  | 'token_from_the_future'
  | 'bot';

export type CheckedEvent =
  | { ok: true; event: StorefrontEventInput; token: RecommendationToken }
  | { ok: false; id?: string; reason: EventRejection };

export interface CheckEventOptions {
  tokenKey: Buffer | readonly Buffer[];
  shop: string;
  /** Epoch seconds. */
  nowSeconds: number;
  /** EVENT_MAX_AGE_SECONDS: tokens issued longer ago are stale. */
  maxAgeSeconds: number;
}

/** One event alone: its shape, then its token's signature for this shop and its age. */
export function checkEvent(raw: unknown, options: CheckEventOptions): CheckedEvent {
  const parsed = parseStorefrontEvent(raw);
  if (!parsed.success) return { ok: false, id: echoedEventId(raw), reason: 'invalid_event' };
  const event = parsed.data;
  const token = verifyRecommendationToken(options.tokenKey, options.shop, event.token, {
    nowSeconds: options.nowSeconds,
    maxAgeSeconds: options.maxAgeSeconds,
  });
  if (!token.ok) return { ok: false, id: event.id, reason: `token_${token.reason}` };
  return { ok: true, event, token: token.token };
}

/** The id of a rejected event, echoed back only when it is a plain, short string. */
export function echoedEventId(raw: unknown): string | undefined {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' && /^[0-9A-Za-z_-]{1,64}$/.test(id) ? id : undefined;
}
