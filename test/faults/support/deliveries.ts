import { mulberry32 } from '../../../shared/random';
import { orderPayload, productPayload, refundPayload } from '../../support/shopify-payloads';

/** One HTTP delivery as Shopify would make it. */
export interface PlannedDelivery {
  topic: string;
  webhookId: string;
  eventId?: string;
  body: string;
  /** The distinct delivery this one repeats (its own index when it is the first copy). */
  distinct: number;
}

/** What the store must hold once every delivery landed, computed from what was sent only. */
export interface ExpectedStore {
  /** Product id → the title of its newest version. */
  products: Map<string, string>;
  /** Order id → the line quantity of its newest version (each version sets quantity = version). */
  orders: Map<string, number>;
  /** Refund ids (immutable: each one is its own row). */
  refunds: Set<string>;
}

export interface DeliveryPlan {
  deliveries: PlannedDelivery[];
  /** Distinct deliveries (versions and refunds), before duplicates. */
  distinct: number;
  expected: ExpectedStore;
}

export interface PlanOptions {
  shop: string;
  products: number;
  orders: number;
  /** Versions of each product and order (each a distinct delivery, newer updated_at). */
  versions: number;
  /** Refunds: one each for the first `refunds` orders. */
  refunds: number;
  /** Extra copies of random distinct deliveries (retries, redeliveries of one event, resends). */
  duplicates: number;
  seed: number;
}

const BASE = Date.UTC(2026, 9, 1, 9);
const PRODUCT_BASE = 700_000;
const ORDER_BASE = 900_000;

const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString().replace('.000Z', '+00:00');

/**
 * Signed-webhook traffic as Shopify produces it at its worst: several versions of each product
 * and order, refunds that may arrive before their order, and copies of random deliveries (a
 * retry with the same webhook id, the same event delivered again under a new webhook id, the
 * same payload resent with no event id), all in a shuffled order. Deterministic for a seed.
 */
export function planDeliveries(o: PlanOptions): DeliveryPlan {
  const random = mulberry32(o.seed);
  const distinct: Array<Omit<PlannedDelivery, 'distinct'>> = [];
  const expected: ExpectedStore = { products: new Map(), orders: new Map(), refunds: new Set() };
  for (let p = 0; p < o.products; p++) {
    const id = PRODUCT_BASE + p;
    for (let v = 1; v <= o.versions; v++) {
      const title = `Product ${id} v${v}`;
      const body = productPayload({ id, title, handle: `product-${id}`, updated_at: at(v), variants: [{ ...productPayload().variants[0], id: id * 10 + 1, product_id: id, price: `${v}.00` }] });
      distinct.push({ topic: v === 1 ? 'products/create' : 'products/update', webhookId: `p-${id}-v${v}`, eventId: `ep-${id}-v${v}`, body: JSON.stringify(body) });
      expected.products.set(String(id), title);
    }
  }
  for (let n = 0; n < o.orders; n++) {
    const id = ORDER_BASE + n;
    for (let v = 1; v <= o.versions; v++) {
      const body = orderPayload({
        id,
        updated_at: at(v),
        customer: { id: 10_000 + (n % 97) },
        total_price: (2.5 * v).toFixed(2),
        current_total_price: (2.5 * v).toFixed(2),
        subtotal_price: (2.5 * v).toFixed(2),
        line_items: [{ id: id * 10 + 1, product_id: PRODUCT_BASE + (n % Math.max(1, o.products)), variant_id: null, title: 'Thing', quantity: v, price: '2.50', total_discount: '0.00', properties: [] }],
      });
      distinct.push({ topic: v === 1 ? 'orders/create' : 'orders/updated', webhookId: `o-${id}-v${v}`, eventId: `eo-${id}-v${v}`, body: JSON.stringify(body) });
    }
    expected.orders.set(String(id), o.versions);
  }
  for (let r = 0; r < Math.min(o.refunds, o.orders); r++) {
    const orderId = ORDER_BASE + r;
    const id = 950_000 + r;
    const body = refundPayload({
      id,
      order_id: orderId,
      created_at: at(o.versions + 1),
      refund_line_items: [{ id: id * 10, line_item_id: orderId * 10 + 1, quantity: 1, subtotal: '2.50', subtotal_set: { shop_money: { amount: '2.50', currency_code: 'GBP' } } }],
    });
    distinct.push({ topic: 'refunds/create', webhookId: `r-${id}`, eventId: `er-${id}`, body: JSON.stringify(body) });
    expected.refunds.add(String(id));
  }

  const deliveries: PlannedDelivery[] = distinct.map((d, i) => ({ ...d, distinct: i }));
  for (let k = 0; k < o.duplicates; k++) {
    const i = Math.floor(random() * distinct.length);
    const original = distinct[i]!;
    const kind = random();
    if (kind < 0.4) deliveries.push({ ...original, distinct: i }); // Shopify's retry: same webhook id
    else if (kind < 0.7) deliveries.push({ ...original, webhookId: `${original.webhookId}-again-${k}`, distinct: i }); // same event, new delivery
    else deliveries.push({ topic: original.topic, body: original.body, webhookId: `${original.webhookId}-resent-${k}`, distinct: i }); // no event id: only ingest's idempotency absorbs it
  }
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
  }
  return { deliveries, distinct: distinct.length, expected };
}
