import { connection, gid, type CollectionRecord, type LineItemNode, type MoneyBag, type OrderNode, type ProductNode, type VariantNode } from './graph';

/** A variant as a test or the demo describes it; the builder fills in Shopify's shape. */
export interface VariantInput {
  id: number;
  title?: string;
  sku?: string | null;
  /** Decimal string in the shop currency, e.g. "6.95". */
  price: string;
  compareAtPrice?: string | null;
  inventoryQuantity?: number | null;
  /** Whether Shopify tracks stock (REST `inventory_management: "shopify"`). Default true. */
  tracked?: boolean;
  /** Sell when out of stock. Default false (`DENY`). */
  continueSelling?: boolean;
}

export interface ProductInput {
  id: number;
  title: string;
  handle?: string;
  vendor?: string;
  productType?: string;
  tags?: string[];
  status?: ProductNode['status'];
  /** ISO time; null for unpublished. Defaults to `updatedAt`. */
  publishedAt?: string | null;
  descriptionHtml?: string;
  imageUrl?: string | null;
  /** ISO time. */
  updatedAt: string;
  variants: VariantInput[];
}

export interface LineItemInput {
  id: number;
  productId: number | null;
  variantId: number | null;
  title: string;
  quantity: number;
  /** Unit price, decimal string. */
  price: string;
  discount?: string;
  properties?: Array<{ name: string; value: string }>;
}

export interface OrderInput {
  id: number;
  name?: string;
  /** ISO time. */
  createdAt: string;
  updatedAt?: string;
  cancelledAt?: string | null;
  financialStatus?: string;
  customerId?: number | null;
  noteAttributes?: Array<{ name: string; value: string }>;
  test?: boolean;
  lineItems: LineItemInput[];
}

export interface CollectionInput {
  id: number;
  title: string;
  handle?: string;
  /** ISO time. Default 2024-01-01. */
  updatedAt?: string;
  /** Numeric ids of the member products, in the collection's order. */
  productIds: number[];
}

function moneyBag(amount: string, currencyCode: string): MoneyBag {
  return { shopMoney: { amount, currencyCode }, presentmentMoney: { amount, currencyCode } };
}

/** Sums decimal strings exactly, in millionths, for order totals. */
function sumDecimals(values: string[]): string {
  const micros = values.reduce((acc, v) => {
    const [whole = '0', fraction = ''] = v.replace('-', '').split('.');
    const n = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
    return acc + (v.startsWith('-') ? -n : n);
  }, 0n);
  const sign = micros < 0n ? '-' : '';
  const abs = micros < 0n ? -micros : micros;
  return `${sign}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0').slice(0, 2)}`;
}

function times(price: string, quantity: number): string {
  return sumDecimals(Array.from({ length: quantity }, () => price));
}

function handleOf(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function collectionRecord(c: CollectionInput): CollectionRecord {
  return {
    __typename: 'Collection',
    id: gid('Collection', c.id),
    legacyResourceId: String(c.id),
    title: c.title,
    handle: c.handle ?? handleOf(c.title),
    updatedAt: c.updatedAt ?? '2024-01-01T00:00:00Z',
    productIds: c.productIds.map((id) => gid('Product', id)),
  };
}

export function productNode(p: ProductInput): ProductNode {
  return {
    __typename: 'Product',
    id: gid('Product', p.id),
    legacyResourceId: String(p.id),
    title: p.title,
    handle: p.handle ?? handleOf(p.title),
    vendor: p.vendor ?? '',
    productType: p.productType ?? '',
    tags: p.tags ?? [],
    status: p.status ?? 'ACTIVE',
    publishedAt: p.publishedAt === undefined ? p.updatedAt : p.publishedAt,
    descriptionHtml: p.descriptionHtml ?? '',
    createdAt: p.updatedAt,
    updatedAt: p.updatedAt,
    featuredMedia: p.imageUrl ? { preview: { image: { url: p.imageUrl } } } : null,
    variants: connection(
      p.variants.map(
        (v, index): VariantNode => ({
          __typename: 'ProductVariant',
          id: gid('ProductVariant', v.id),
          legacyResourceId: String(v.id),
          title: v.title ?? 'Default Title',
          sku: v.sku ?? null,
          price: v.price,
          compareAtPrice: v.compareAtPrice ?? null,
          inventoryQuantity: v.inventoryQuantity ?? 0,
          inventoryPolicy: v.continueSelling ? 'CONTINUE' : 'DENY',
          position: index + 1,
          inventoryItem: { id: gid('InventoryItem', v.id), tracked: v.tracked ?? true },
        }),
      ),
    ),
  };
}

export function orderNode(o: OrderInput, currencyCode: string): OrderNode {
  const lineTotals = o.lineItems.map((li) => times(li.price, li.quantity));
  const discounts = o.lineItems.map((li) => li.discount ?? '0');
  const subtotal = sumDecimals(lineTotals);
  const totalDiscounts = sumDecimals(discounts);
  const total = sumDecimals([subtotal, `-${totalDiscounts}`]);
  return {
    __typename: 'Order',
    id: gid('Order', o.id),
    legacyResourceId: String(o.id),
    name: o.name ?? `#${1000 + o.id}`,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt ?? o.createdAt,
    processedAt: o.createdAt,
    cancelledAt: o.cancelledAt ?? null,
    test: o.test ?? false,
    currencyCode,
    presentmentCurrencyCode: currencyCode,
    displayFinancialStatus: (o.financialStatus ?? 'paid').toUpperCase(),
    totalPriceSet: moneyBag(total, currencyCode),
    currentTotalPriceSet: moneyBag(o.cancelledAt ? '0.00' : total, currencyCode),
    subtotalPriceSet: moneyBag(subtotal, currencyCode),
    totalDiscountsSet: moneyBag(totalDiscounts, currencyCode),
    customer: o.customerId ? { id: gid('Customer', o.customerId) } : null,
    customAttributes: (o.noteAttributes ?? []).map((a) => ({ key: a.name, value: a.value })),
    lineItems: connection(
      o.lineItems.map(
        (li): LineItemNode => ({
          __typename: 'LineItem',
          id: gid('LineItem', li.id),
          title: li.title,
          name: li.title,
          quantity: li.quantity,
          sku: null,
          originalUnitPriceSet: moneyBag(li.price, currencyCode),
          totalDiscountSet: moneyBag(li.discount ?? '0.00', currencyCode),
          product: li.productId === null ? null : { id: gid('Product', li.productId) },
          variant: li.variantId === null ? null : { id: gid('ProductVariant', li.variantId) },
          customAttributes: (li.properties ?? []).map((p) => ({ key: p.name, value: p.value })),
        }),
      ),
    ),
  };
}

/**
 * A small shop for tests and the demo: three products, two orders (one with a tracking token)
 * and two collections (the mug is in both, the apron and the teapot in one each).
 */
export function sampleCatalog(currencyCode = 'GBP'): { products: ProductNode[]; orders: OrderNode[]; collections: CollectionRecord[] } {
  const products = [
    productNode({
      id: 101, title: 'Enamel Mug', vendor: 'Kiln & Co', productType: 'Kitchen', tags: ['mug', 'enamel'],
      descriptionHtml: '<p>A <b>sturdy</b> mug &amp; camp classic.</p>', imageUrl: 'https://cdn.example/mug.png',
      updatedAt: '2024-03-01T10:00:00Z',
      variants: [
        { id: 1011, title: 'Blue', sku: 'MUG-B', price: '12.50', inventoryQuantity: 4 },
        { id: 1012, title: 'Red', sku: 'MUG-R', price: '11.00', inventoryQuantity: 0 },
      ],
    }),
    productNode({
      id: 102, title: 'Linen Apron', vendor: 'Loom', productType: 'Textiles', tags: ['apron'],
      updatedAt: '2024-03-02T10:00:00Z',
      variants: [{ id: 1021, price: '24.00', inventoryQuantity: 0, continueSelling: true }],
    }),
    productNode({
      id: 103, title: 'Draft Teapot', vendor: 'Kiln & Co', status: 'DRAFT', publishedAt: null,
      updatedAt: '2024-03-03T10:00:00Z',
      variants: [{ id: 1031, price: '30.00', tracked: false, inventoryQuantity: null }],
    }),
  ];
  const orders = [
    orderNode(
      {
        id: 5001, createdAt: '2024-03-05T09:00:00Z', customerId: 77,
        noteAttributes: [{ name: 'source', value: 'newsletter' }],
        lineItems: [
          { id: 50011, productId: 101, variantId: 1011, title: 'Enamel Mug', quantity: 2, price: '12.50',
            properties: [{ name: '_shelfwise', value: 'tok-abc' }] },
          { id: 50012, productId: 102, variantId: 1021, title: 'Linen Apron', quantity: 1, price: '24.00', discount: '4.00' },
        ],
      },
      currencyCode,
    ),
    orderNode(
      {
        id: 5002, createdAt: '2024-03-06T09:00:00Z', customerId: null, financialStatus: 'refunded',
        cancelledAt: '2024-03-07T09:00:00Z', updatedAt: '2024-03-07T09:00:00Z',
        lineItems: [{ id: 50021, productId: null, variantId: null, title: 'Custom engraving', quantity: 1, price: '5.00' }],
      },
      currencyCode,
    ),
  ];
  const collections = [
    collectionRecord({ id: 9001, title: 'Kitchen', productIds: [101, 103] }),
    collectionRecord({ id: 9002, title: 'Gifts', handle: 'gift-ideas', productIds: [102, 101] }),
  ];
  return { products, orders, collections };
}
