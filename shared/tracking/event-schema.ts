import { z } from 'zod';

export const STOREFRONT_EVENT_TYPES = ['impression', 'click', 'add_to_cart'] as const;
export type StorefrontEventType = (typeof STOREFRONT_EVENT_TYPES)[number];

/** A beacon carries at most this many events (a block's impressions plus a few clicks). */
export const MAX_EVENTS_PER_REQUEST = 50;

/** The largest epoch ms a JavaScript Date holds; beyond it `toISOString` throws. */
const MAX_DATE_MS = 8.64e15;

/** One event as the block sends it; its token says what was shown, where and from which list. */
export const storefrontEvent = z.object({
  /** Client-made id (a UUID): the same event sent twice is counted once. */
  id: z.string().regex(/^[0-9A-Za-z_-]{8,64}$/, 'must be 8-64 characters of [0-9A-Za-z_-]'),
  type: z.enum(STOREFRONT_EVENT_TYPES),
  token: z.string().min(1).max(300),
  /** Epoch ms on the shopper's clock (bounded to what a Date can hold). */
  at: z.number().int().nonnegative().max(MAX_DATE_MS),
  /** Variant added, for add_to_cart. */
  variant_id: z.string().regex(/^\d{1,20}$/).optional(),
  quantity: z.number().int().min(1).max(1000).optional(),
}).refine((e) => e.type === 'add_to_cart' || (e.variant_id === undefined && e.quantity === undefined), {
  // Stored whole or not at all: a field that means nothing for this type is an error, not dropped.
  message: 'variant_id and quantity belong to add_to_cart events only',
  path: ['type'],
});
export type StorefrontEventInput = z.infer<typeof storefrontEvent>;

/** `POST /apps/shelfwise/events` body (JSON; `text/plain` accepted for `navigator.sendBeacon`). */
export const storefrontEventsBody = z.object({
  /** The shopper's analytics consent as the Customer Privacy API reported it; absent = no consent. */
  consent: z.object({ analytics: z.boolean() }).optional(),
  /** Random id the block keeps in localStorage, sent only with analytics consent. */
  visitor_id: z.string().regex(/^[0-9A-Za-z_-]{8,64}$/).optional(),
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_REQUEST),
});
export type StorefrontEventsBody = z.infer<typeof storefrontEventsBody>;

const EVENT_ID = /^[0-9A-Za-z_-]{8,64}$/;
const VARIANT_ID = /^\d{1,20}$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `storefrontEvent.safeParse`, the schema of record, with a fast path for the events a block
 * sends (one per event of every beacon): a value the check below accepts is one the schema
 * accepts, and it is given back as the schema gives it (known keys only, in the schema's order).
 * Anything else, every refusal included, is the schema's to decide and to word.
 */
export function parseStorefrontEvent(raw: unknown): z.ZodSafeParseResult<StorefrontEventInput> {
  if (isRecord(raw)) {
    const { id, type, token, at, variant_id: variantId, quantity } = raw;
    const forCart = type === 'add_to_cart';
    const variantOk = variantId === undefined ? !('variant_id' in raw) : forCart && typeof variantId === 'string' && VARIANT_ID.test(variantId);
    const quantityOk = quantity === undefined ? !('quantity' in raw) : forCart && typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 1 && quantity <= 1000;
    if (
      typeof id === 'string' &&
      EVENT_ID.test(id) &&
      (type === 'impression' || type === 'click' || forCart) &&
      typeof token === 'string' &&
      token.length >= 1 &&
      token.length <= 300 &&
      typeof at === 'number' &&
      Number.isInteger(at) &&
      at >= 0 &&
      at <= MAX_DATE_MS &&
      variantOk &&
      quantityOk
    ) {
      const data: StorefrontEventInput = { id, type, token, at };
      if (variantId !== undefined) data.variant_id = variantId as string;
      if (quantity !== undefined) data.quantity = quantity as number;
      return { success: true, data } as z.ZodSafeParseResult<StorefrontEventInput>;
    }
  }
  return storefrontEvent.safeParse(raw);
}

/** `storefrontEventsBody.safeParse` with the same kind of fast path as `parseStorefrontEvent`. */
export function parseStorefrontEventsBody(raw: unknown): z.ZodSafeParseResult<StorefrontEventsBody> {
  if (isRecord(raw)) {
    const { consent, visitor_id: visitorId, events } = raw;
    const consentOk = consent === undefined ? !('consent' in raw) : isRecord(consent) && typeof consent.analytics === 'boolean';
    const visitorOk = visitorId === undefined ? !('visitor_id' in raw) : typeof visitorId === 'string' && EVENT_ID.test(visitorId);
    if (consentOk && visitorOk && Array.isArray(events) && events.length >= 1 && events.length <= MAX_EVENTS_PER_REQUEST) {
      // Known keys only, in the schema's order; the events array is a copy, as the schema's is.
      const copy: unknown[] = Array.from(events);
      const visitor = visitorId as string | undefined;
      const analytics = consent === undefined ? undefined : { analytics: (consent as { analytics: boolean }).analytics };
      const data: StorefrontEventsBody = analytics
        ? visitor === undefined
          ? { consent: analytics, events: copy }
          : { consent: analytics, visitor_id: visitor, events: copy }
        : visitor === undefined
          ? { events: copy }
          : { visitor_id: visitor, events: copy };
      return { success: true, data } as z.ZodSafeParseResult<StorefrontEventsBody>;
    }
  }
  return storefrontEventsBody.safeParse(raw);
}
