/** A product as the test store sells it: what the database is seeded with and the theme renders. */
export interface StorefrontProduct {
  /** Shopify product id (numeric string). */
  id: string;
  handle: string;
  title: string;
  vendor: string;
  productType: string;
  /** Price of its only variant in minor units of the shop currency. */
  priceMinor: number;
  variantId: string;
  /** `active` and published unless a test wants a product the storefront must never show. */
  status?: 'active' | 'draft';
  description: string;
}

/** The shop the storefront belongs to. */
export interface StorefrontShop {
  domain: string;
  name: string;
  currency: string;
  moneyFormat: string;
  moneyWithCurrencyFormat: string;
}

export class StorefrontCatalog {
  private readonly byHandle: Map<string, StorefrontProduct>;
  private readonly byVariant: Map<string, StorefrontProduct>;
  private readonly byId: Map<string, StorefrontProduct>;

  constructor(
    readonly products: readonly StorefrontProduct[],
    /** Absolute URL of a product's image, served by the storefront (no CDN here). */
    readonly imageUrl: (p: StorefrontProduct) => string,
  ) {
    this.byHandle = new Map(products.map((p) => [p.handle, p]));
    this.byVariant = new Map(products.map((p) => [p.variantId, p]));
    this.byId = new Map(products.map((p) => [p.id, p]));
  }

  withHandle(handle: string): StorefrontProduct | undefined {
    return this.byHandle.get(handle);
  }

  withVariant(variantId: string): StorefrontProduct | undefined {
    return this.byVariant.get(variantId);
  }

  withId(id: string): StorefrontProduct {
    const product = this.byId.get(id);
    if (!product) throw new Error(`no product ${id} in the test catalog`);
    return product;
  }
}
