/**
 * The GraphQL Admin shapes the stand-in stores: gid ids, enum values in capitals, money as
 * decimal strings inside MoneyBag sets, lists behind connections. Only the fields the app
 * reads are modelled; asking for another one is an error (see project.ts).
 */

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function connection<T>(nodes: T[]): Connection<T> {
  const cursor = (i: number) => Buffer.from(`cursor:${i}`).toString('base64url');
  return {
    edges: nodes.map((node, i) => ({ cursor: cursor(i), node })),
    nodes,
    pageInfo: {
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: nodes.length ? cursor(0) : null,
      endCursor: nodes.length ? cursor(nodes.length - 1) : null,
    },
  };
}

export function isConnection(value: unknown): value is Connection<unknown> {
  return typeof value === 'object' && value !== null && 'edges' in value && 'pageInfo' in value;
}

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

export interface MoneyV2 {
  amount: string;
  currencyCode: string;
}

export interface MoneyBag {
  shopMoney: MoneyV2;
  presentmentMoney: MoneyV2;
}

export interface VariantNode {
  __typename: 'ProductVariant';
  id: string;
  legacyResourceId: string;
  title: string;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number | null;
  inventoryPolicy: 'DENY' | 'CONTINUE';
  position: number;
  inventoryItem: { id: string; tracked: boolean };
}

export interface ProductNode {
  __typename: 'Product';
  id: string;
  legacyResourceId: string;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  tags: string[];
  status: 'ACTIVE' | 'DRAFT' | 'ARCHIVED';
  publishedAt: string | null;
  descriptionHtml: string;
  createdAt: string;
  updatedAt: string;
  featuredMedia: { preview: { image: { url: string } | null } } | null;
  variants: Connection<VariantNode>;
}

/**
 * A collection as the stand-in stores it. Membership is kept on the collection, as the
 * merchant edits it (custom collections) or Shopify computes it (smart ones); the GraphQL
 * views derive both `Collection.products` and `Product.collections` from it (views.ts).
 */
export interface CollectionRecord {
  __typename: 'Collection';
  id: string;
  legacyResourceId: string;
  title: string;
  handle: string;
  updatedAt: string;
  /** Member product gids, in the collection's order. Not a GraphQL field: read through the views. */
  productIds: string[];
}

export interface LineItemNode {
  __typename: 'LineItem';
  id: string;
  title: string;
  name: string;
  quantity: number;
  sku: string | null;
  originalUnitPriceSet: MoneyBag;
  totalDiscountSet: MoneyBag;
  product: { id: string } | null;
  variant: { id: string } | null;
  customAttributes: Array<{ key: string; value: string | null }>;
}

export interface OrderNode {
  __typename: 'Order';
  id: string;
  legacyResourceId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  test: boolean;
  currencyCode: string;
  presentmentCurrencyCode: string;
  displayFinancialStatus: string | null;
  totalPriceSet: MoneyBag;
  currentTotalPriceSet: MoneyBag;
  subtotalPriceSet: MoneyBag;
  totalDiscountsSet: MoneyBag;
  customer: { id: string } | null;
  customAttributes: Array<{ key: string; value: string | null }>;
  lineItems: Connection<LineItemNode>;
}
