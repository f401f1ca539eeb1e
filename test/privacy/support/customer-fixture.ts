import { Queue } from 'bullmq';
import { customerPseudonym } from '../../../shared/crypto';
import { QUEUE } from '../../../shared/queue';
import type { Runtime } from '../../../shared/runtime';
import { encodeStreamEntry, storefrontEventKey, storefrontEventStreamKey, STREAM_ENTRY_FIELD, type StorefrontEventEntry } from '../../../shared/tracking';
import { recommendationTokenKey } from '../../../shared/tracking';
import { createOrderAttribution } from '../../../worker/attribution';
import { writeEventBatch } from '../../../worker/events';
import { createIngestProcessor } from '../../../worker/ingest';
import { orderPayload } from '../../support/shopify-payloads';
import { productId, START } from '../../worker/train/small-store';

const DAY_MS = 86_400_000;

/** The Shopify ids of one customer and what the test expects us to store about them. */
export interface CustomerFixture {
  shop: string;
  customerId: string;
  visitorId: string;
  orderIds: string[];
  customerKey: string;
  visitorKey: string;
}

/** A processor for compliance and order topics that also erases Redis and the given queues' jobs. */
export function privacyProcessor(rt: Runtime, queues: Queue[] = []) {
  // As the worker wires it: every stored order is attributed (order_revenue carries the visitor).
  const attribution = createOrderAttribution({ db: rt.db, tokenKey: recommendationTokenKey(rt.config.tokenEncryptionKey), customerIdKey: rt.config.customerIdKey });
  const processor = createIngestProcessor({
    attributeOrder: attribution.attributeOrder,
    db: rt.db,
    logger: rt.logger,
    customerIdKey: rt.config.customerIdKey,
    privacy: { redis: rt.redis, prefix: rt.config.queuePrefix, queues },
  });
  let n = 0;
  return (shop: string, topic: string, body: unknown) =>
    processor({ shop, topic, webhookId: `w-${topic.replace('/', '-')}-${++n}`, receivedAt: new Date(START + 130 * DAY_MS).toISOString(), body: JSON.stringify(body) });
}

export function ingestQueue(rt: Runtime): Queue {
  return new Queue(QUEUE.ingest, { connection: rt.redis, prefix: rt.config.queuePrefix });
}

/**
 * Writes a customer into a store made by writeSmallStore: five orders through the ingest processor
 * (customer id, the visitor id their cart carried), a kept webhook job holding one raw order
 * body, storefront events of their visitor while logged in (stored rows and one still in the
 * stream), a holdout exposure and the web process's short-lived keys for the visitor. Another
 * visitor's events are written beside them, to show what must stay.
 */
export async function writeCustomer(rt: Runtime, queue: Queue, ingest: ReturnType<typeof privacyProcessor>, shop: string, ids: { customerId: string; visitorId: string; firstOrder: number }): Promise<CustomerFixture> {
  const key = rt.config.customerIdKey;
  const customerKey = customerPseudonym(key, shop, ids.customerId);
  const visitorKey = customerPseudonym(key, shop, `visitor:${ids.visitorId}`);
  const orderIds: string[] = [];
  for (let k = 0; k < 5; k++) {
    const id = ids.firstOrder + k;
    const at = new Date(START + (10 + 20 * k) * DAY_MS).toISOString();
    const body = orderPayload({
      id,
      created_at: at,
      updated_at: at,
      processed_at: at,
      customer: { id: Number(ids.customerId), email: 'ada@example.com', first_name: 'Ada' },
      note_attributes: [{ name: '_shelfwise_visitor', value: ids.visitorId }],
      line_items: [0, 3, 6].map((p, j) => ({ id: id * 10 + j, product_id: Number(productId((p + 3 * k) % 30)), variant_id: null, title: 'garden', quantity: 1, price: '5.00', total_discount: '0.00', properties: [] })),
    });
    await ingest(shop, 'orders/create', body);
    orderIds.push(String(id));
    if (k === 0) await queue.add('orders/create', { shop, topic: 'orders/create', webhookId: `kept-${id}`, receivedAt: at, body: JSON.stringify(body) });
  }
  const entry = (id: string, visitor: string | null, customer: string | null, at: number): StorefrontEventEntry => ({
    v: 1, shop, id, type: 'click', occurred_at: at, received_at: at, consent: true, visitor_key: visitor, customer_key: customer,
    impression_id: `imp-${id}`, placement: 'fbt', product_id: productId(3), position: 0, model_version: null, sponsored: false, token: `tok-${id}`,
  });
  const at = START + 100 * DAY_MS;
  await writeEventBatch(rt.db, [
    entry(`evt-${ids.firstOrder}-a`, visitorKey, customerKey, at),
    entry(`evt-${ids.firstOrder}-b`, visitorKey, null, at + 1000),
    entry(`evt-${ids.firstOrder}-other`, `other-visitor-${ids.firstOrder}`, null, at + 2000),
  ]);
  await rt.redis.xadd(storefrontEventStreamKey(rt.config.queuePrefix), '*', STREAM_ENTRY_FIELD, encodeStreamEntry(entry(`evt-${ids.firstOrder}-c`, visitorKey, customerKey, at + 3000)));
  await rt.db.insertInto('holdout_exposures').values({ shop, day: '2026-04-11', visitor_key: visitorKey, grp: 'treatment', first_seen_at: new Date(at) }).execute();
  const prefix = rt.config.queuePrefix;
  await rt.redis.set(storefrontEventKey(prefix, 'rate', shop, `v.${visitorKey}`, '29000000'), '3', 'EX', 600);
  await rt.redis.set(storefrontEventKey(prefix, 'bot', shop, `v.${visitorKey}`), '1', 'EX', 600);
  await rt.redis.set(`${prefix}:holdout:${shop}:2026-04-11:${visitorKey}`, 'treatment', 'EX', 600);
  return { shop, customerId: ids.customerId, visitorId: ids.visitorId, orderIds, customerKey, visitorKey };
}
