import type { Insertable } from 'kysely';
import type { Db, NewOrder, NewOrderLineItem, RefundLineItemsTable, RefundsTable } from '../../../shared/db';
import { VISITOR_CART_ATTRIBUTE } from '../../../shared/attribution';
import { TOKEN_PROPERTY } from '../../../shared/tracking';
import { zipfPicker } from '../support/storefront-store';
import type { BenchCatalog } from './catalog';
import { customerKeyOf, visitorIdOf, type BenchClick } from './storefront-events';

export interface OrdersOptions {
  db: Db;
  shop: string;
  catalog: BenchCatalog;
  clicks: readonly BenchClick[];
  pseudonymKey: string;
  orders: number;
  /** Customers (indexes 0..customers-1, as the events generator numbers them). */
  customers: number;
  visitors: number;
  /** Customer c is visitor c × customerEvery. */
  customerEvery: number;
  startMs: number;
  endMs: number;
  random: () => number;
}

export interface OrdersWritten {
  orders: number;
  lineItems: number;
  /** Orders placed after a click of the same customer on one of their products (within 6 days). */
  afterClick: number;
  /** Orders with a `_shelfwise` line property / cart attribute token. */
  withLineToken: number;
  withCartToken: number;
  guests: number;
  refunded: number;
  cancelled: number;
  /** Order ids, oldest first. */
  ids: Array<{ id: string; day: string }>;
}

const DAY_MS = 86_400_000;
const FIRST_ORDER_ID = 5_500_000_000_001;

/**
 * Orders over [startMs, endMs), 1-5 lines each, written as raw rows in multi-row inserts (the
 * store's shape; attribution runs afterwards through the real worker code). Kinds: ~12 % placed
 * by a customer 0-6 days after clicking one of the order's products, ~5 % carrying a clicked
 * token as a line property (by the shopper who clicked, often a guest), ~1 % as a cart attribute, the rest by random
 * customers (60 %) or guests. ~3 % partly or fully refunded, ~1 % cancelled.
 */
export async function writeOrders(options: OrdersOptions): Promise<OrdersWritten> {
  const { db, shop, catalog, random } = options;
  const pickProduct = zipfPicker(catalog.productIds, random, 0.8);
  const customerClicks = options.clicks.filter((c) => c.customer !== null);
  const keys = new Map<number, string>();
  const keyOf = (customer: number) => {
    let key = keys.get(customer);
    if (!key) keys.set(customer, (key = customerKeyOf(options.pseudonymKey, shop, customer)));
    return key;
  };
  const span = options.endMs - options.startMs;
  const out: OrdersWritten = { orders: 0, lineItems: 0, afterClick: 0, withLineToken: 0, withCartToken: 0, guests: 0, refunded: 0, cancelled: 0, ids: [] };
  let orders: NewOrder[] = [];
  let lines: NewOrderLineItem[] = [];
  let refunds: Array<Insertable<RefundsTable>> = [];
  let refundLines: Array<Insertable<RefundLineItemsTable>> = [];
  const flush = async () => {
    if (orders.length) await db.insertInto('orders').values(orders).execute();
    for (let i = 0; i < lines.length; i += 2000) await db.insertInto('order_line_items').values(lines.slice(i, i + 2000)).execute();
    if (refunds.length) await db.insertInto('refunds').values(refunds).execute();
    if (refundLines.length) await db.insertInto('refund_line_items').values(refundLines).execute();
    orders = [];
    lines = [];
    refunds = [];
    refundLines = [];
  };

  for (let n = 0; n < options.orders; n++) {
    const id = String(FIRST_ORDER_ID + n);
    const kind = random();
    let createdMs: number;
    let customer: number | null;
    let visitor: number | null = null;
    const products: string[] = [];
    let lineToken: { productId: string; token: string } | null = null;
    let cartToken: string | null = null;
    if (kind < 0.12 && customerClicks.length) {
      const click = customerClicks[Math.floor(random() * customerClicks.length)]!;
      createdMs = Math.min(options.endMs - 1, click.atMs + Math.floor(random() * 6 * DAY_MS));
      customer = click.customer;
      visitor = click.visitor;
      products.push(click.productId);
      out.afterClick++;
    } else if (kind < 0.18 && options.clicks.length) {
      const click = options.clicks[Math.floor(random() * options.clicks.length)]!;
      createdMs = Math.min(options.endMs - 1, click.atMs + Math.floor(random() * 2 * DAY_MS));
      customer = click.customer;
      visitor = click.visitor;
      products.push(click.productId);
      if (kind < 0.17) {
        lineToken = { productId: click.productId, token: click.token };
        out.withLineToken++;
      } else {
        cartToken = click.token;
        out.withCartToken++;
      }
    } else {
      createdMs = options.startMs + Math.floor(Math.sqrt(random()) * span);
      customer = random() < 0.6 ? Math.floor(random() * options.customers) : null;
      // Most orders come from a browser that kept the block's visitor id in its cart.
      if (random() < 0.8) visitor = customer !== null ? customer * options.customerEvery : Math.floor(random() * options.visitors);
    }
    if (customer === null) out.guests++;
    const count = 1 + Math.floor(Math.pow(random(), 2) * 5);
    while (products.length < count) {
      const p = pickProduct();
      if (!products.includes(p)) products.push(p);
    }
    const created = new Date(createdMs);
    const cancelled = random() < 0.01;
    const refunded = !cancelled && random() < 0.03;
    let subtotal = 0;
    let discounts = 0;
    const orderLines = products.map((productId, position) => {
      const price = catalog.priceMinor.get(productId)!;
      const quantity = 1 + Math.floor(Math.pow(random(), 3) * 3);
      const discount = random() < 0.1 ? Math.floor(price * quantity * 0.1) : 0;
      subtotal += price * quantity - discount;
      discounts += discount;
      return {
        shop,
        id: String(2 * FIRST_ORDER_ID + n * 8 + position),
        order_id: id,
        product_id: productId,
        variant_id: catalog.variantOf.get(productId)!,
        title: `Product ${productId}`,
        quantity,
        price_minor: price,
        total_discount_minor: discount,
        properties: JSON.stringify(lineToken?.productId === productId ? [{ name: TOKEN_PROPERTY, value: lineToken.token }] : []),
        position,
      };
    });
    if (refunded) {
      const line = orderLines[Math.floor(random() * orderLines.length)]!;
      const full = random() < 0.5;
      const refundId = String(FIRST_ORDER_ID + n);
      const amount = full ? line.price_minor * line.quantity - line.total_discount_minor : Math.floor(line.price_minor / 2);
      refunds.push({ shop, id: refundId, order_id: id, created_at: new Date(Math.min(options.endMs - 1, createdMs + 3 * DAY_MS)) });
      refundLines.push({ shop, refund_id: refundId, line_item_id: line.id, order_id: id, quantity: full ? line.quantity : 1, subtotal_minor: amount });
      out.refunded++;
    }
    if (cancelled) out.cancelled++;
    orders.push({
      shop,
      id,
      name: `#${1001 + n}`,
      created_at: created,
      updated_at: created,
      processed_at: created,
      currency: 'EUR',
      presentment_currency: 'EUR',
      total_price_minor: subtotal + 495,
      current_total_price_minor: subtotal + 495,
      subtotal_price_minor: subtotal,
      total_discounts_minor: discounts,
      financial_status: refunded ? 'partially_refunded' : 'paid',
      cancelled_at: cancelled ? new Date(createdMs + DAY_MS) : null,
      customer_key: customer === null ? null : keyOf(customer),
      cart_token: null,
      checkout_token: null,
      landing_site: null,
      note_attributes: JSON.stringify([
        ...(cartToken ? [{ name: '_shelfwise', value: cartToken }] : []),
        ...(visitor !== null ? [{ name: VISITOR_CART_ATTRIBUTE, value: visitorIdOf(visitor) }] : []),
      ]),
      test: false,
      version_hash: `bench-${n}`,
    });
    lines.push(...orderLines);
    out.orders++;
    out.lineItems += orderLines.length;
    out.ids.push({ id, day: created.toISOString().slice(0, 10) });
    if (orders.length >= 1000) await flush();
  }
  await flush();
  out.ids.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return out;
}
