import { z } from 'zod';

/**
 * The REST-shaped webhook payloads we read, as Shopify documents them. Unknown fields are
 * ignored; a field we rely on that is missing or of the wrong type makes the payload malformed.
 */

/** A UTF-16 half without its other half: valid in JSON text ("\ud800"), refused by jsonb. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text PostgreSQL can store: NUL is refused in text and jsonb, a lone surrogate in jsonb. Each
 * reads as U+FFFD in every string of a payload (keys included), so a stray character costs one
 * character, not the delivery.
 */
function storableText(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\0/g, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
  if (Array.isArray(value)) return value.map(storableText);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k) as string, storableText(v)]));
  return value;
}
const storable = <S extends z.ZodType>(schema: S) => z.preprocess(storableText, schema);

/** Ids that must differ within one payload (they are primary keys of the rows it writes). */
function distinctIds(items: ReadonlyArray<{ id: string }>, ctx: z.RefinementCtx, path: string): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [path, index, 'id'], message: `repeats id ${item.id}` });
    seen.add(item.id);
  });
}

/** PostgreSQL's integer columns (quantities, positions, stock): a value past them is not a real one. */
const int32 = z.number().int().min(-2_147_483_648).max(2_147_483_647);

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);
const optionalId = id.nullish().transform((v) => v ?? null);
const timestamp = z.iso.datetime({ offset: true, local: false }).or(z.iso.datetime({ offset: true }));
const money = z
  .union([z.string(), z.number()])
  .transform(String)
  // At most 14 whole digits: prices are stored as numeric(20, 6), and no real amount comes near.
  .pipe(z.string().regex(/^-?\d{1,14}(\.\d+)?$/, 'must be a decimal amount of at most 14 whole digits'));
const nameValue = z.object({ name: z.coerce.string(), value: z.unknown().transform((v) => (v == null ? '' : String(v))) });
const nullableString = z.string().nullish().transform((v) => v ?? null);

export const variantPayload = z.object({
  id,
  title: nullableString,
  sku: nullableString,
  price: money,
  compare_at_price: money.nullish().transform((v) => v ?? null),
  inventory_quantity: int32.nullish().transform((v) => v ?? null),
  inventory_policy: nullableString,
  inventory_management: nullableString,
  position: int32.optional(),
});

export const productPayload = storable(
  z
    .object({
      id,
      title: z.string(),
      body_html: nullableString,
      vendor: nullableString,
      product_type: nullableString,
      handle: nullableString,
      status: z.string().default('active'),
      tags: z.union([z.string(), z.array(z.string())]).nullish(),
      published_at: timestamp.nullish(),
      updated_at: timestamp,
      image: z.object({ src: z.string() }).nullish(),
      images: z.array(z.object({ src: z.string(), position: z.number().optional() })).nullish(),
      variants: z.array(variantPayload).default([]),
    })
    .superRefine((p, ctx) => distinctIds(p.variants, ctx, 'variants')),
);
export type ProductPayload = z.infer<typeof productPayload>;

export const productDeletePayload = storable(z.object({ id }));

const refundLineItemPayload = z.object({
  line_item_id: id,
  quantity: int32,
  subtotal: money.nullish(),
  subtotal_set: z.object({ shop_money: z.object({ amount: money, currency_code: z.string() }) }).nullish(),
});

const refundObject = z.object({
  id,
  order_id: id,
  created_at: timestamp,
  refund_line_items: z.array(refundLineItemPayload).default([]),
});
export const refundPayload = storable(refundObject);
export type RefundPayload = z.infer<typeof refundPayload>;

const lineItemPayload = z.object({
  id,
  product_id: optionalId,
  variant_id: optionalId,
  title: nullableString,
  quantity: int32,
  price: money,
  total_discount: money.nullish(),
  properties: z.array(nameValue).nullish(),
});

export const orderPayload = storable(
  z
    .object({
      id,
      name: nullableString,
      created_at: timestamp,
      updated_at: timestamp,
      processed_at: timestamp.nullish(),
      currency: z.string().length(3),
      presentment_currency: z.string().length(3).nullish(),
      total_price: money,
      current_total_price: money.nullish(),
      subtotal_price: money.nullish(),
      total_discounts: money.nullish(),
      financial_status: nullableString,
      cancelled_at: timestamp.nullish(),
      customer: z.object({ id }).nullish(),
      cart_token: nullableString,
      checkout_token: nullableString,
      landing_site: nullableString,
      note_attributes: z.array(nameValue).nullish(),
      test: z.boolean().nullish(),
      line_items: z.array(lineItemPayload),
      refunds: z.array(refundObject).nullish(),
    })
    .superRefine((o, ctx) => distinctIds(o.line_items, ctx, 'line_items')),
);
export type OrderPayload = z.infer<typeof orderPayload>;

