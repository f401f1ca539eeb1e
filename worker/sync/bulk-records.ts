import { z } from 'zod';
import { customerPseudonym } from '../../shared/crypto';
import { InvalidInputError } from '../../shared/errors';
import { toMinorUnits } from '../../shared/money';
import { htmlToText, parseTags } from '../ingest';
import type { OrderRecord, ProductRecord } from '../store';
import { legacyId } from './gid';
import type { ProductCollection } from './product-collections';

/** The JSONL lines of the bulk queries in bulk-queries.ts, as the GraphQL Admin API shapes them. */
const nullableString = z.string().nullish().transform((v) => v ?? null);
const money = z.object({ shopMoney: z.object({ amount: z.string() }) });
const attributes = z
  .array(z.object({ key: z.string(), value: z.string().nullish() }))
  .nullish()
  .transform((list) => (list ?? []).map((a) => ({ name: a.key, value: a.value ?? '' })));

const productLine = z.object({
  id: z.string(),
  title: z.string(),
  handle: nullableString,
  vendor: nullableString,
  productType: nullableString,
  tags: z.array(z.string()).default([]),
  status: z.string(),
  publishedAt: nullableString,
  descriptionHtml: nullableString,
  updatedAt: z.string(),
  featuredMedia: z.object({ preview: z.object({ image: z.object({ url: z.string() }).nullish() }).nullish() }).nullish(),
});

const variantLine = z.object({
  id: z.string(),
  title: nullableString,
  sku: nullableString,
  price: z.string(),
  compareAtPrice: nullableString,
  inventoryQuantity: z.number().int().nullish().transform((v) => v ?? null),
  inventoryPolicy: nullableString,
  position: z.number().int(),
  inventoryItem: z.object({ tracked: z.boolean() }).nullish(),
});

const collectionLine = z.object({
  id: z.string(),
  handle: nullableString,
});

const orderLine = z.object({
  id: z.string(),
  name: nullableString,
  createdAt: z.string(),
  updatedAt: z.string(),
  processedAt: nullableString,
  cancelledAt: nullableString,
  test: z.boolean().default(false),
  currencyCode: z.string(),
  presentmentCurrencyCode: nullableString,
  displayFinancialStatus: nullableString,
  totalPriceSet: money,
  currentTotalPriceSet: money.nullish(),
  subtotalPriceSet: money.nullish(),
  totalDiscountsSet: money.nullish(),
  customer: z.object({ id: z.string() }).nullish(),
  customAttributes: attributes,
});

const lineItemLine = z.object({
  id: z.string(),
  title: nullableString,
  quantity: z.number().int(),
  originalUnitPriceSet: money,
  totalDiscountSet: money.nullish(),
  product: z.object({ id: z.string() }).nullish(),
  variant: z.object({ id: z.string() }).nullish(),
  customAttributes: attributes,
});

const optionalDate = (value: string | null) => (value ? new Date(value) : null);

/** Admin GraphQL enums are capitals; the store keeps REST's lower-case values. */
const lower = (value: string | null) => (value === null ? null : value.toLowerCase());

/**
 * A product's child lines come from two connections (variants and collections), each on its
 * own line with the product's `__parentId` and nothing naming the connection: the global id's
 * type tells them apart. A child of any other type makes the product unreadable.
 */
function childrenByType(children: unknown[]): { variants: unknown[]; collections: unknown[] } {
  const variants: unknown[] = [];
  const collections: unknown[] = [];
  for (const child of children) {
    const id = (child as { id?: unknown }).id;
    const type = typeof id === 'string' ? /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1] : undefined;
    if (type === 'ProductVariant') variants.push(child);
    else if (type === 'Collection') collections.push(child);
    else throw new InvalidInputError(`unexpected child line under a product: ${JSON.stringify(id)}`);
  }
  return { variants, collections };
}

/** A product line with its children: the store's record and the collections it belongs to. */
export interface BulkProduct {
  record: ProductRecord;
  collections: ProductCollection[];
}

export function productFromBulk(shop: string, parent: unknown, children: unknown[]): BulkProduct {
  const { variants, collections } = childrenByType(children);
  const record = productRecordFromBulk(shop, parent, variants);
  const seen = new Set<string>();
  const memberships: ProductCollection[] = [];
  for (const child of collections) {
    const c = collectionLine.parse(child);
    const id = legacyId(c.id);
    if (seen.has(id)) continue;
    seen.add(id);
    memberships.push({ collectionId: id, handle: c.handle });
  }
  return { record, collections: memberships };
}

function productRecordFromBulk(shop: string, parent: unknown, children: unknown[]): ProductRecord {
  const p = productLine.parse(parent);
  return {
    shop,
    id: legacyId(p.id),
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.productType,
    tags: parseTags(p.tags),
    status: p.status.toLowerCase(),
    publishedAt: optionalDate(p.publishedAt),
    bodyText: htmlToText(p.descriptionHtml),
    imageUrl: p.featuredMedia?.preview?.image?.url ?? null,
    updatedAt: new Date(p.updatedAt),
    variants: children.map((child) => {
      const v = variantLine.parse(child);
      return {
        id: legacyId(v.id),
        title: v.title,
        sku: v.sku,
        price: v.price,
        compareAtPrice: v.compareAtPrice,
        inventoryQuantity: v.inventoryQuantity,
        inventoryPolicy: lower(v.inventoryPolicy),
        // REST says `inventory_management: "shopify"` for what GraphQL calls a tracked item.
        inventoryManagement: v.inventoryItem?.tracked ? 'shopify' : null,
        position: v.position,
      };
    }),
  };
}

/**
 * GraphQL orders have no cart token, checkout token or landing site; those stay null here
 * and arrive with the order webhooks.
 */
export function orderFromBulk(shop: string, parent: unknown, children: unknown[], customerIdKey: string): OrderRecord {
  const o = orderLine.parse(parent);
  const minor = (m: { shopMoney: { amount: string } }) => toMinorUnits(m.shopMoney.amount, o.currencyCode);
  const optionalMinor = (m: { shopMoney: { amount: string } } | null | undefined) => (m ? minor(m) : null);
  return {
    shop,
    id: legacyId(o.id),
    name: o.name,
    createdAt: new Date(o.createdAt),
    updatedAt: new Date(o.updatedAt),
    processedAt: optionalDate(o.processedAt),
    currency: o.currencyCode,
    presentmentCurrency: o.presentmentCurrencyCode,
    totalPriceMinor: minor(o.totalPriceSet),
    currentTotalPriceMinor: optionalMinor(o.currentTotalPriceSet),
    subtotalPriceMinor: optionalMinor(o.subtotalPriceSet),
    totalDiscountsMinor: optionalMinor(o.totalDiscountsSet) ?? 0,
    financialStatus: lower(o.displayFinancialStatus),
    cancelledAt: optionalDate(o.cancelledAt),
    // The pseudonym is keyed on the numeric id, as the webhook path keys it.
    customerKey: o.customer ? customerPseudonym(customerIdKey, shop, legacyId(o.customer.id)) : null,
    cartToken: null,
    checkoutToken: null,
    landingSite: null,
    noteAttributes: o.customAttributes,
    test: o.test,
    lineItems: children.map((child) => {
      const li = lineItemLine.parse(child);
      return {
        id: legacyId(li.id),
        productId: li.product ? legacyId(li.product.id) : null,
        variantId: li.variant ? legacyId(li.variant.id) : null,
        title: li.title,
        quantity: li.quantity,
        priceMinor: minor(li.originalUnitPriceSet),
        totalDiscountMinor: optionalMinor(li.totalDiscountSet) ?? 0,
        properties: li.customAttributes,
      };
    }),
    refunds: [],
  };
}
