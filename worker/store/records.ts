/**
 * The store's own view of catalog and orders, whatever brought them (a webhook, a bulk
 * operation, the CSV importer). Mappers turn each source's shape into these; the store
 * functions write them idempotently.
 */

export interface VariantRecord {
  id: string;
  title: string | null;
  sku: string | null;
  /** Exact decimal string in the shop currency, as Shopify sends it ("6.95"). */
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number | null;
  /** `deny` or `continue` (selling when out of stock). */
  inventoryPolicy: string | null;
  /** `shopify` when Shopify tracks stock; null when it does not (always available). */
  inventoryManagement: string | null;
  position: number;
}

export interface ProductRecord {
  shop: string;
  id: string;
  title: string;
  handle: string | null;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  /** `active`, `draft` or `archived`. */
  status: string;
  /** Null when the product is not published to the online store. */
  publishedAt: Date | null;
  bodyText: string;
  imageUrl: string | null;
  updatedAt: Date;
  variants: VariantRecord[];
}

export interface LineItemRecord {
  id: string;
  productId: string | null;
  variantId: string | null;
  title: string | null;
  quantity: number;
  /** Unit price in minor units of the order currency. */
  priceMinor: number;
  totalDiscountMinor: number;
  /** Line-item properties, kept whole: `_shelfwise` carries the recommendation token. */
  properties: Array<{ name: string; value: string }>;
}

export interface RefundRecord {
  shop: string;
  id: string;
  orderId: string;
  createdAt: Date;
  lineItems: Array<{ lineItemId: string; quantity: number; subtotalMinor: number }>;
}

export interface OrderRecord {
  shop: string;
  id: string;
  name: string | null;
  createdAt: Date;
  updatedAt: Date;
  processedAt: Date | null;
  currency: string;
  presentmentCurrency: string | null;
  totalPriceMinor: number;
  currentTotalPriceMinor: number | null;
  subtotalPriceMinor: number | null;
  totalDiscountsMinor: number;
  financialStatus: string | null;
  cancelledAt: Date | null;
  /** Keyed pseudonym of the customer (shared/crypto customerPseudonym), never the raw id. */
  customerKey: string | null;
  cartToken: string | null;
  checkoutToken: string | null;
  landingSite: string | null;
  noteAttributes: Array<{ name: string; value: string }>;
  test: boolean;
  lineItems: LineItemRecord[];
  /** Refunds the order payload already lists; applied like refunds/create deliveries. */
  refunds: RefundRecord[];
}
