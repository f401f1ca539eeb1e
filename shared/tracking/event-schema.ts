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
