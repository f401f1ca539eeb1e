import { z } from 'zod';

/**
 * The REST-shaped webhook payloads we read, as Shopify documents them. Unknown fields are
 * ignored; a field we rely on that is missing or of the wrong type makes the payload malformed.
 */

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);
const optionalId = id.nullish().transform((v) => v ?? null);
const timestamp = z.iso.datetime({ offset: true, local: false }).or(z.iso.datetime({ offset: true }));
const money = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal amount'));
const nameValue = z.object({ name: z.coerce.string(), value: z.unknown().transform((v) => (v == null ? '' : String(v))) });
const nullableString = z.string().nullish().transform((v) => v ?? null);

export const variantPayload = z.object({
  id,
  title: nullableString,
  sku: nullableString,
  price: money,
  compare_at_price: money.nullish().transform((v) => v ?? null),
  inventory_quantity: z.number().int().nullish().transform((v) => v ?? null),
  inventory_policy: nullableString,
  inventory_management: nullableString,
  position: z.number().int().optional(),
});

export const productPayload = z.object({
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
});
export type ProductPayload = z.infer<typeof productPayload>;

export const productDeletePayload = z.object({ id });

const refundLineItemPayload = z.object({
  line_item_id: id,
  quantity: z.number().int(),
  subtotal: money.nullish(),
  subtotal_set: z.object({ shop_money: z.object({ amount: money, currency_code: z.string() }) }).nullish(),
});

export const refundPayload = z.object({
  id,
  order_id: id,
  created_at: timestamp,
  refund_line_items: z.array(refundLineItemPayload).default([]),
});
export type RefundPayload = z.infer<typeof refundPayload>;

const lineItemPayload = z.object({
  id,
  product_id: optionalId,
  variant_id: optionalId,
  title: nullableString,
  quantity: z.number().int(),
  price: money,
  total_discount: money.nullish(),
  properties: z.array(nameValue).nullish(),
});

export const orderPayload = z.object({
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
  refunds: z.array(refundPayload).nullish(),
});
export type OrderPayload = z.infer<typeof orderPayload>;

