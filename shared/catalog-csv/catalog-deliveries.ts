import { planCatalog, type CatalogPlan } from './catalog-plan';
import { namedUuid } from './ids';
import { orderEvents } from './order-events';
import { productPayload } from './product-payload';
import type { ReadRetailRowsOptions } from './read-rows';
import type { OrderWebhookPayload, ProductWebhookPayload, RefundWebhookPayload } from './shopify-payloads';

export type CatalogDelivery = {
  /** Same for the same thing in every run: a second replay is deduplicated on it. */
  webhookId: string;
  eventId: string;
  /** When the event happened in the shop (its created_at / updated_at), as UTC ISO. */
  triggeredAt: string;
} & (
  | { topic: 'products/create'; payload: ProductWebhookPayload }
  | { topic: 'orders/create'; payload: OrderWebhookPayload }
  | { topic: 'refunds/create'; payload: RefundWebhookPayload }
);

export interface CatalogCounts {
  rowsRead: number;
  rowsKept: number;
  products: number;
  orders: number;
  cancellations: number;
  customers: number;
}

export interface RetailCatalog {
  plan: CatalogPlan;
  counts: CatalogCounts;
  /** Products first (by first sale), then orders and refunds in time order. Iterate once. */
  deliveries(): AsyncGenerator<CatalogDelivery>;
}

function identify<T extends Omit<CatalogDelivery, 'webhookId' | 'eventId' | 'triggeredAt'>>(
  delivery: T,
  at: string,
): T & { webhookId: string; eventId: string; triggeredAt: string } {
  const id = String(delivery.payload.id);
  return {
    ...delivery,
    webhookId: namedUuid('shelfwise-replay-webhook', delivery.topic, id),
    eventId: namedUuid('shelfwise-replay-event', delivery.topic, id),
    triggeredAt: new Date(at).toISOString(),
  };
}

/**
 * Reads an Online Retail II layout file into Shopify-shaped deliveries: the shared source of
 * `shelfwise replay` (over HTTP, signed) and `shelfwise import` (straight into the ingest
 * mapping), so both end in the same rows. Runs the first pass now; the second as you iterate.
 */
export async function openRetailCatalog(source: ReadRetailRowsOptions): Promise<RetailCatalog> {
  const plan = await planCatalog(source);
  const invoices = [...plan.invoices.values()];
  const counts: CatalogCounts = {
    rowsRead: plan.rowsRead,
    rowsKept: plan.rowsKept,
    products: plan.products.size,
    orders: invoices.filter((i) => !i.cancellation).length,
    cancellations: invoices.filter((i) => i.cancellation).length,
    customers: plan.customers.size,
  };
  let iterated = false;
  return {
    plan,
    counts,
    async *deliveries() {
      if (iterated) throw new Error('catalog deliveries can be iterated once (the skip report fills as they go)');
      iterated = true;
      const products = [...plan.products.values()].sort((a, b) =>
        a.firstSold === b.firstSold ? (a.stockCode < b.stockCode ? -1 : 1) : a.firstSold < b.firstSold ? -1 : 1,
      );
      for (const product of products) {
        const payload = productPayload(product);
        yield identify({ topic: 'products/create' as const, payload }, payload.updated_at);
      }
      for await (const event of orderEvents(plan)) {
        if (event.topic === 'orders/create') {
          yield identify({ topic: event.topic, payload: event.payload }, event.payload.created_at);
        } else {
          yield identify({ topic: event.topic, payload: event.payload }, event.payload.created_at);
        }
      }
    },
  };
}
