import fc from 'fast-check';
import { createLogger } from '../../../shared/logger';
import { createIngestProcessor } from '../../../worker/ingest';
import { pgliteDatabase, postgresDatabase, type TestDatabase } from '../../support/databases';
import { clearStore, dumpStore } from '../../support/dump';
import { orderPayload, productPayload, refundPayload } from '../../support/shopify-payloads';

const SHOP = 'property.myshopify.com';
const DAYS = ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z'];

interface Delivery {
  topic: string;
  body: string;
  triggeredAt?: string;
}

// Refunds are immutable in Shopify: one id, one content, wherever it shows up.
const REFUNDS = [
  refundPayload({ id: 1, order_id: 1, refund_line_items: [{ line_item_id: 11, quantity: 1, subtotal_set: { shop_money: { amount: '2.50', currency_code: 'GBP' } } }] }),
  refundPayload({ id: 2, order_id: 2, refund_line_items: [{ line_item_id: 21, quantity: 2, subtotal_set: { shop_money: { amount: '9.00', currency_code: 'GBP' } } }] }),
];

const productVersion = fc.record({
  id: fc.constantFrom(1, 2, 3),
  updated_at: fc.constantFrom(...DAYS),
  title: fc.constantFrom('Mug', 'Cup', 'Jug'),
  price: fc.constantFrom('1.00', '2.50', '10.00'),
  stock: fc.integer({ min: 0, max: 3 }),
  status: fc.constantFrom('active', 'draft'),
}).map((v): Delivery => ({
  topic: 'products/update',
  body: JSON.stringify(
    productPayload({
      id: v.id, updated_at: v.updated_at, title: v.title, status: v.status,
      variants: [{ id: v.id * 10, price: v.price, inventory_quantity: v.stock, inventory_policy: 'deny', inventory_management: 'shopify' }],
    }),
  ),
}));

const productDelete = fc.record({ id: fc.constantFrom(1, 2, 3), at: fc.constantFrom(...DAYS) })
  .map((d): Delivery => ({ topic: 'products/delete', body: JSON.stringify({ id: d.id }), triggeredAt: d.at }));

const orderVersion = fc.record({
  id: fc.constantFrom(1, 2),
  updated_at: fc.constantFrom(...DAYS),
  topic: fc.constantFrom('orders/create', 'orders/paid', 'orders/updated', 'orders/cancelled'),
  quantity: fc.integer({ min: 1, max: 4 }),
  withRefund: fc.boolean(),
  // A version as the bulk sync sees it: no cart token, checkout token or landing site.
  withoutSession: fc.boolean(),
}).map((v): Delivery => ({
  topic: v.topic,
  body: JSON.stringify(
    orderPayload({
      id: v.id,
      updated_at: v.updated_at,
      cancelled_at: v.topic === 'orders/cancelled' ? v.updated_at : null,
      financial_status: v.topic === 'orders/create' ? 'pending' : 'paid',
      line_items: [{ id: v.id * 10 + 1, product_id: 1, variant_id: 10, title: 'Mug', quantity: v.quantity, price: '2.50' }],
      refunds: v.withRefund ? [REFUNDS[v.id - 1]] : [],
      ...(v.withoutSession ? { cart_token: null, checkout_token: null, landing_site: null } : {}),
    }),
  ),
}));

const refundDelivery = fc.constantFrom(...REFUNDS).map((r): Delivery => ({ topic: 'refunds/create', body: JSON.stringify(r) }));
const uninstall = fc.constantFrom(...DAYS).map((at): Delivery => ({ topic: 'app/uninstalled', body: '{}', triggeredAt: at }));

const deliveries = fc.array(fc.oneof(productVersion, productVersion, productDelete, orderVersion, orderVersion, refundDelivery, uninstall), {
  minLength: 1,
  maxLength: 14,
});

/** The same deliveries shuffled, some of them delivered again (Shopify retries and duplicates). */
const replayOf = (all: Delivery[]) =>
  fc
    .tuple(
      fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
      fc.array(fc.constantFrom(...all), { maxLength: 4 }),
      fc.nat(),
    )
    .map(([shuffled, again, at]) => {
      const out = [...shuffled];
      for (const d of again) out.splice(at % (out.length + 1), 0, d);
      return out;
    });

const scenario = deliveries.chain((all) => fc.tuple(fc.constant(all), replayOf(all), replayOf(all)));

/** Session fields are never lost: any order that was delivered with a cart token keeps it. */
async function sessionFieldsKept(t: TestDatabase, list: Delivery[]) {
  const withToken = new Set(
    list.filter((d) => d.topic.startsWith('orders/') && JSON.parse(d.body).cart_token).map((d) => String(JSON.parse(d.body).id)),
  );
  const rows = await t.db.selectFrom('orders').select(['id', 'cart_token', 'landing_site']).execute();
  for (const row of rows) {
    if (withToken.has(row.id)) expect(row).toMatchObject({ cart_token: 'cart-1', landing_site: '/products/enamel-mug' });
  }
}

async function apply(t: TestDatabase, list: Delivery[], concurrent: boolean) {
  const ingest = createIngestProcessor({ db: t.db, logger: createLogger({ level: 'silent' }), customerIdKey: 'k'.repeat(20) });
  const run = (d: Delivery, i: number) =>
    ingest({ shop: SHOP, topic: d.topic, webhookId: `w${i}`, receivedAt: '2024-01-05T00:00:00Z', body: d.body, triggeredAt: d.triggeredAt });
  await clearStore(t.db);
  if (concurrent) await Promise.all(list.map(run));
  else for (const [i, d] of list.entries()) await run(d, i);
  return dumpStore(t.db);
}

describe('ingest is idempotent and order-independent (property)', () => {
  it('on PGlite: any permutation with duplicates ends in the same state', async () => {
    const t = await pgliteDatabase();
    try {
      await fc.assert(
        fc.asyncProperty(scenario, async ([original, first, second]) => {
          const expected = await apply(t, original, false);
          await sessionFieldsKept(t, original);
          expect(await apply(t, first, false)).toEqual(expected);
          expect(await apply(t, second, false)).toEqual(expected);
        }),
        { numRuns: 60 },
      );
    } finally {
      await t.close();
    }
  });

  it('on PostgreSQL: deliveries processed concurrently end in the same state', async () => {
    const t = await postgresDatabase();
    try {
      await fc.assert(
        fc.asyncProperty(scenario, async ([original, first, second]) => {
          const expected = await apply(t, original, false);
          expect(await apply(t, first, true)).toEqual(expected);
          expect(await apply(t, second, true)).toEqual(expected);
        }),
        { numRuns: 30 },
      );
    } finally {
      await t.close();
    }
  });
});
