import { z } from 'zod';
import { STOREFRONT_EVENT_TYPES } from './event-schema';
import { TOKEN_PLACEMENTS, type TokenPlacement } from './recommendation-token';

/**
 * Every Redis key of the storefront events shares this hash tag: the web process's one-call
 * script (rate limit, dedupe, append) touches the stream and its bookkeeping keys together,
 * which Redis Cluster allows only within one slot. The stream is one per app anyway, so its slot
 * already sees every event; the bookkeeping adds no new hot spot.
 */
export const STOREFRONT_EVENTS_TAG = '{storefront-events}';

/** A key of the storefront events' keyspace: `<prefix>:{storefront-events}:<parts…>`. */
export function storefrontEventKey(prefix: string, ...parts: string[]): string {
  let key = `${prefix}:${STOREFRONT_EVENTS_TAG}`;
  for (const part of parts) key += `:${part}`;
  return key;
}

/** The stream the web process appends accepted events to (one entry per event). */
export function storefrontEventStreamKey(prefix: string): string {
  return storefrontEventKey(prefix, 'stream');
}

/** Where the worker copies entries it cannot read, before acknowledging them. */
export function storefrontEventDeadLetterKey(prefix: string): string {
  return storefrontEventKey(prefix, 'dead-letter');
}

/** The worker's consumer group on the stream. */
export const STOREFRONT_EVENTS_GROUP = 'storefront-events';

/** The one field of a stream entry; its value is the entry as JSON (`storefrontEventEntry`). */
export const STREAM_ENTRY_FIELD = 'event';

const ID = /^[0-9A-Za-z_-]{1,64}$/;
const placements = Object.keys(TOKEN_PLACEMENTS) as [TokenPlacement, ...TokenPlacement[]];

/**
 * One accepted event as the web process hands it to the worker: already checked (schema, token
 * signature and age), identities already pseudonymised. Without analytics consent it carries
 * no visitor or customer key at all.
 */
export const storefrontEventEntry = z
  .object({
    /** Entry format version. */
    v: z.literal(1),
    shop: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
    /** The client's event id: unique per shop (receipts). */
    id: z.string().regex(/^[0-9A-Za-z_-]{8,64}$/),
    type: z.enum(STOREFRONT_EVENT_TYPES),
    /** When it happened, epoch ms: the shopper's clock when plausible, else the receipt time. */
    occurred_at: z.number().int().nonnegative().max(8.64e15),
    /** When the web process accepted it, epoch ms. */
    received_at: z.number().int().nonnegative().max(8.64e15),
    /** Whether the shopper gave analytics consent: only then is the event kept as its own row. */
    consent: z.boolean(),
    /** Per-shop pseudonym of the visitor id (`customerPseudonym(key, shop, 'visitor:' + id)`). */
    visitor_key: z.string().min(1).max(64).nullable(),
    /** Per-shop pseudonym of the logged-in customer, as orders store it. */
    customer_key: z.string().min(1).max(64).nullable(),
    impression_id: z.string().regex(ID),
    placement: z.enum(placements),
    product_id: z.string().regex(ID),
    position: z.number().int().nonnegative(),
    model_version: z.string().regex(ID).nullable(),
    sponsored: z.boolean(),
    /** A sponsored slot's campaign and click price, from its signed token (absent otherwise). */
    campaign_id: z.string().regex(/^[0-9]{1,18}$/).optional(),
    price_minor: z.number().int().nonnegative().optional(),
    /** A sponsored click the web process saw repeat the shopper's earlier one (not charged). */
    repeat: z.literal(true).optional(),
    token: z.string().min(1).max(300),
    variant_id: z.string().regex(/^\d{1,20}$/).optional(),
    quantity: z.number().int().min(1).max(1000).optional(),
  })
  .refine((e) => e.consent || (e.visitor_key === null && e.customer_key === null), {
    message: 'an event without consent carries no visitor or customer key',
    path: ['consent'],
  });
export type StorefrontEventEntry = z.infer<typeof storefrontEventEntry>;

/** The stream entry's field value. */
export function encodeStreamEntry(entry: StorefrontEventEntry): string {
  return JSON.stringify(entry);
}

export type DecodedStreamEntry = { ok: true; entry: StorefrontEventEntry } | { ok: false; reason: string };

/** Reads an entry's flat field list (`[field, value, …]` as XREADGROUP returns it); never throws. */
export function decodeStreamEntry(fields: readonly string[]): DecodedStreamEntry {
  const at = fields.indexOf(STREAM_ENTRY_FIELD);
  const raw = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  if (raw === undefined) return { ok: false, reason: `no '${STREAM_ENTRY_FIELD}' field` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = storefrontEventEntry.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; ') };
  }
  return { ok: true, entry: parsed.data };
}
