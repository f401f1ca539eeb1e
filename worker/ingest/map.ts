import { customerPseudonym } from '../../shared/crypto';
import { ShelfwiseError } from '../../shared/errors';
import { toMinorUnits } from '../../shared/money';
import type { OrderRecord, ProductRecord, RefundRecord } from '../store';
import type { OrderPayload, ProductPayload, RefundPayload } from './payloads';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/** Product descriptions arrive as HTML; text models want the words. */
export function htmlToText(html: string | null): string {
  if (!html) return '';
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#?\w+);/g, (whole, name: string) => ENTITIES[name.toLowerCase()] ?? whole)
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseTags(tags: string | string[] | null | undefined): string[] {
  const list = Array.isArray(tags) ? tags : (tags ?? '').split(',');
  return [...new Set(list.map((t) => t.trim()).filter(Boolean))].sort();
}

const date = (value: string) => new Date(value);
const optionalDate = (value: string | null | undefined) => (value ? new Date(value) : null);

export function productRecord(shop: string, p: ProductPayload): ProductRecord {
  const firstImage = p.image?.src ?? [...(p.images ?? [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0))[0]?.src;
  return {
    shop,
    id: p.id,
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.product_type,
    tags: parseTags(p.tags),
    status: p.status,
    publishedAt: optionalDate(p.published_at),
    bodyText: htmlToText(p.body_html),
    imageUrl: firstImage ?? null,
    updatedAt: date(p.updated_at),
    variants: p.variants.map((v, index) => ({
      id: v.id,
      title: v.title,
      sku: v.sku,
      price: v.price,
      compareAtPrice: v.compare_at_price,
      inventoryQuantity: v.inventory_quantity,
      inventoryPolicy: v.inventory_policy,
      inventoryManagement: v.inventory_management,
      position: v.position ?? index + 1,
    })),
  };
}

/** The currency of a refund comes from its money sets; `fallback` is the order's, when known. */
export function refundRecord(shop: string, r: RefundPayload, fallbackCurrency?: string): RefundRecord {
  return {
    shop,
    id: r.id,
    orderId: r.order_id,
    createdAt: date(r.created_at),
    lineItems: r.refund_line_items.map((li) => {
      const set = li.subtotal_set?.shop_money;
      const currency = set?.currency_code ?? fallbackCurrency;
      const amount = set?.amount ?? li.subtotal ?? '0';
      if (!currency) throw new MissingCurrencyError(r.order_id);
      return { lineItemId: li.line_item_id, quantity: li.quantity, subtotalMinor: toMinorUnits(amount, currency) };
    }),
  };
}

/** A refund with no money set for an order we have not stored yet: retry once the order lands. */
export class MissingCurrencyError extends ShelfwiseError {
  constructor(readonly orderId: string) {
    super(`refund for order ${orderId} has no currency and the order is not stored yet`);
  }
}

export function orderRecord(shop: string, o: OrderPayload, customerIdKey: string): OrderRecord {
  const minor = (amount: string) => toMinorUnits(amount, o.currency);
  return {
    shop,
    id: o.id,
    name: o.name,
    createdAt: date(o.created_at),
    updatedAt: date(o.updated_at),
    processedAt: optionalDate(o.processed_at),
    currency: o.currency,
    presentmentCurrency: o.presentment_currency ?? null,
    totalPriceMinor: minor(o.total_price),
    currentTotalPriceMinor: o.current_total_price == null ? null : minor(o.current_total_price),
    subtotalPriceMinor: o.subtotal_price == null ? null : minor(o.subtotal_price),
    totalDiscountsMinor: o.total_discounts == null ? 0 : minor(o.total_discounts),
    financialStatus: o.financial_status,
    cancelledAt: optionalDate(o.cancelled_at),
    customerKey: o.customer ? customerPseudonym(customerIdKey, shop, o.customer.id) : null,
    cartToken: o.cart_token,
    checkoutToken: o.checkout_token,
    landingSite: o.landing_site,
    noteAttributes: o.note_attributes ?? [],
    test: o.test ?? false,
    lineItems: o.line_items.map((li) => ({
      id: li.id,
      productId: li.product_id,
      variantId: li.variant_id,
      title: li.title,
      quantity: li.quantity,
      priceMinor: minor(li.price),
      totalDiscountMinor: li.total_discount == null ? 0 : minor(li.total_discount),
      properties: li.properties ?? [],
    })),
    refunds: (o.refunds ?? []).map((r) => refundRecord(shop, r, o.currency)),
  };
}
