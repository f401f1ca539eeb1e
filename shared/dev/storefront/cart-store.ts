import { randomUUID } from 'node:crypto';
import type { StorefrontCatalog } from './storefront-catalog';

/** A cart line as `/cart.js` returns it (the fields blocks and tests read). */
export interface CartLine {
  key: string;
  id: number;
  variant_id: number;
  product_id: number;
  handle: string;
  title: string;
  url: string;
  price: number;
  quantity: number;
  line_price: number;
  properties: Record<string, string>;
}

export interface Cart {
  token: string;
  items: CartLine[];
  item_count: number;
  total_price: number;
  currency: string;
  /** Cart attributes (`POST /cart/update.js {attributes}`): an order's note_attributes. */
  attributes: Record<string, string>;
}

export interface AddItem {
  id: string;
  quantity: number;
  properties: Record<string, string>;
}

export type AddOutcome = { ok: true; lines: CartLine[] } | { ok: false; status: 422 | 404; description: string };

/**
 * Carts in memory, one per `cart` cookie. As on Shopify, adding a variant with other properties
 * makes a new line; the same variant with the same properties adds to the line's quantity.
 */
export class CartStore {
  private readonly carts = new Map<string, CartLine[]>();
  private readonly attributes = new Map<string, Record<string, string>>();
  /** The first page each cart's browser was shown: the order's `landing_site`. */
  private readonly landings = new Map<string, string>();
  /** A checked-out cart's token → the shopper's next cart: a request with the old cookie gets the new cart. */
  private readonly successors = new Map<string, string>();

  constructor(
    private readonly catalog: StorefrontCatalog,
    private readonly currency: string,
  ) {}

  newToken(): string {
    return randomUUID().replace(/-/g, '');
  }

  /** The cart a cookie's token stands for now: after a checkout, the shopper's next cart. */
  current(token: string): string {
    let current = token;
    for (let next = this.successors.get(current); next !== undefined; next = this.successors.get(current)) current = next;
    return current;
  }

  /** A copy of the cart: its lines do not change when the cart does. */
  cart(token: string): Cart {
    const items = (this.carts.get(token) ?? []).map((line) => ({ ...line }));
    return {
      token,
      items,
      item_count: items.reduce((n, l) => n + l.quantity, 0),
      total_price: items.reduce((n, l) => n + l.line_price, 0),
      currency: this.currency,
      attributes: { ...(this.attributes.get(token) ?? {}) },
    };
  }

  /** As Shopify's `/cart/update.js`: the given attributes are set, an empty value removes one. */
  updateAttributes(token: string, attributes: Record<string, string>): Cart {
    const kept = { ...(this.attributes.get(token) ?? {}) };
    for (const [name, value] of Object.entries(attributes)) {
      if (value === '') delete kept[name];
      else kept[name] = value;
    }
    this.attributes.set(token, kept);
    return this.cart(token);
  }

  /** Every cart's attributes: what a test inspects when it does not know the browser's cookie. */
  allAttributes(): Array<Record<string, string>> {
    return [...this.attributes.values()];
  }

  /** Every cart's lines: what a test inspects when it does not know the browser's cookie. */
  allLines(): CartLine[] {
    return [...this.carts.values()].flat();
  }

  /** The page a browser was first shown with this cart (path and query); later pages do not change it. */
  landed(token: string, pathAndQuery: string): void {
    if (!this.landings.has(token)) this.landings.set(token, pathAndQuery);
  }

  landingSite(token: string): string | null {
    return this.landings.get(token) ?? null;
  }

  /**
   * After a checkout of `ordered` (the lines as the order took them): those quantities leave the
   * cart, and whatever was added while the order was on its way moves to `next`, the shopper's new
   * cart, with the landing page. The attributes went with the order. The old token leads to `next`.
   */
  checkedOut(token: string, ordered: readonly CartLine[], next: string): void {
    const left: CartLine[] = [];
    for (const line of this.carts.get(token) ?? []) {
      const quantity = line.quantity - (ordered.find((o) => o.key === line.key)?.quantity ?? 0);
      if (quantity > 0) left.push({ ...line, quantity, line_price: line.price * quantity });
    }
    if (left.length) this.carts.set(next, left);
    const landing = this.landings.get(token);
    if (landing !== undefined) this.landed(next, landing);
    this.carts.delete(token);
    this.attributes.delete(token);
    this.landings.delete(token);
    this.successors.set(token, next);
  }

  add(token: string, items: AddItem[]): AddOutcome {
    if (!items.length) return { ok: false, status: 422, description: 'Parameter Missing or Invalid: Required parameter missing or invalid: items' };
    const lines = this.carts.get(token) ?? [];
    const added: CartLine[] = [];
    for (const item of items) {
      const product = this.catalog.withVariant(item.id);
      if (!product) return { ok: false, status: 404, description: `Cannot find variant ${item.id}` };
      if (!Number.isInteger(item.quantity) || item.quantity < 1) return { ok: false, status: 422, description: 'Quantity must be a positive integer' };
      const properties = Object.fromEntries(Object.entries(item.properties).filter(([, v]) => v !== ''));
      const key = `${item.id}:${JSON.stringify(Object.entries(properties).sort())}`;
      let line = lines.find((l) => l.key === key);
      if (line) {
        line.quantity += item.quantity;
        line.line_price = line.price * line.quantity;
      } else {
        line = {
          key,
          id: Number(product.variantId),
          variant_id: Number(product.variantId),
          product_id: Number(product.id),
          handle: product.handle,
          title: product.title,
          url: `/products/${product.handle}?variant=${product.variantId}`,
          price: product.priceMinor,
          quantity: item.quantity,
          line_price: product.priceMinor * item.quantity,
          properties,
        };
        lines.push(line);
      }
      added.push(line);
    }
    this.carts.set(token, lines);
    return { ok: true, lines: added };
  }
}
