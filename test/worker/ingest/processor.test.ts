import { sql } from 'kysely';
import { UnrecoverableError } from 'bullmq';
import { createLogger } from '../../../shared/logger';
import { customerPseudonym } from '../../../shared/crypto';
import { createIngestProcessor } from '../../../worker/ingest';
import { BACKENDS, type TestDatabase } from '../../support/databases';
import { orderPayload, productPayload, refundPayload } from '../../support/shopify-payloads';
import { clearStore } from '../../support/dump';
import { saveTrainingStatus, trainingStatusOf } from '../../../worker/train';

const SHOP = 'ingest-test.myshopify.com';
const KEY = 'test-customer-id-key-0123456789';

function job(topic: string, body: unknown, extra: Record<string, string> = {}) {
  return {
    shop: SHOP,
    topic,
    webhookId: `wh-${Math.random()}`,
    receivedAt: '2024-03-01T00:00:00.000Z',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...extra,
  };
}

describe.each(BACKENDS)('ingest processor on %s', (_name, open) => {
  let t: TestDatabase;
  let ingest: ReturnType<typeof createIngestProcessor>;
  beforeAll(async () => {
    t = await open();
    ingest = createIngestProcessor({ db: t.db, logger: createLogger({ level: 'silent' }), customerIdKey: KEY });
  });
  afterAll(() => t.close());
  beforeEach(() => clearStore(t.db));

  it('stores a product with its variants, text and derived availability', async () => {
    await ingest(job('products/create', productPayload()));
    const product = await t.db.selectFrom('products').selectAll().executeTakeFirstOrThrow();
    expect(product).toMatchObject({
      id: '1001',
      title: 'Enamel Mug',
      vendor: 'Acme Homeware',
      product_type: 'Kitchen',
      tags: ['gift', 'kitchen'],
      body_text: 'A sturdy mug & saucer',
      available: true,
      min_price: '6.950000',
      image_url: 'https://cdn.example/mug-1001.jpg',
    });
    expect(product.search_text).toContain('Acme Homeware');
    const variants = await t.db.selectFrom('product_variants').selectAll().execute();
    expect(variants).toHaveLength(1);
    expect(variants[0]).toMatchObject({ id: '10011', product_id: '1001', price: '6.950000', available: true });
  });

  it('derives availability from inventory and policy', async () => {
    const soldOut = productPayload({
      variants: [
        { id: 1, price: '1.00', inventory_quantity: 0, inventory_policy: 'deny', inventory_management: 'shopify' },
        { id: 2, price: '2.00', inventory_quantity: 0, inventory_policy: 'continue', inventory_management: 'shopify' },
        { id: 3, price: '3.00', inventory_quantity: -4, inventory_policy: 'deny', inventory_management: null },
      ],
    });
    await ingest(job('products/update', soldOut));
    const variants = await t.db.selectFrom('product_variants').select(['id', 'available']).orderBy('id').execute();
    expect(variants).toEqual([
      { id: '1', available: false },
      { id: '2', available: true },
      { id: '3', available: true },
    ]);
    await ingest(job('products/update', productPayload({ updated_at: '2024-05-01T00:00:00Z', variants: [soldOut.variants[0]] })));
    const product = await t.db.selectFrom('products').select('available').executeTakeFirstOrThrow();
    expect(product.available).toBe(false);
  });

  it('keeps the newest version whatever order versions arrive in', async () => {
    const newer = productPayload({ title: 'New title', updated_at: '2024-03-01T00:00:00Z' });
    const older = productPayload({ title: 'Old title', updated_at: '2024-02-01T00:00:00Z' });
    expect(await ingest(job('products/update', newer))).toEqual({ topic: 'products/update', outcome: 'applied' });
    expect(await ingest(job('products/update', older))).toEqual({ topic: 'products/update', outcome: 'stale' });
    const product = await t.db.selectFrom('products').select('title').executeTakeFirstOrThrow();
    expect(product.title).toBe('New title');
  });

  it('tombstones a deleted product so an older update cannot revive it', async () => {
    await ingest(job('products/delete', { id: 1001 }, { triggeredAt: '2024-03-01T00:00:00Z' }));
    await ingest(job('products/update', productPayload()));
    const product = await t.db.selectFrom('products').selectAll().executeTakeFirstOrThrow();
    expect(product.deleted_at?.toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(product.available).toBe(false);
    expect(product.title).toBe('Enamel Mug');
  });

  it('stores an order with exact minor units, a pseudonymous customer and attribution properties', async () => {
    await ingest(job('orders/create', orderPayload()));
    const order = await t.db.selectFrom('orders').selectAll().executeTakeFirstOrThrow();
    expect(order).toMatchObject({
      id: '5001',
      currency: 'GBP',
      total_price_minor: 2085,
      customer_key: customerPseudonym(KEY, SHOP, '777'),
      note_attributes: [{ name: '_shelfwise_visitor', value: 'v1' }],
    });
    expect(JSON.stringify(order)).not.toContain('777');
    expect(JSON.stringify(order)).not.toContain('shopper@example.com');
    const items = await t.db.selectFrom('order_line_items').selectAll().execute();
    expect(items).toEqual([
      expect.objectContaining({ id: '50011', product_id: '1001', quantity: 3, price_minor: 695, properties: [{ name: '_shelfwise', value: 'tok-abc' }] }),
    ]);
  });

  it('applies cancellations and refunds, from either delivery, once', async () => {
    await ingest(job('refunds/create', refundPayload()));
    await ingest(job('orders/create', orderPayload()));
    await ingest(
      job('orders/cancelled', orderPayload({ updated_at: '2024-02-04T00:00:00Z', cancelled_at: '2024-02-04T00:00:00Z', refunds: [refundPayload()] })),
    );
    await ingest(job('refunds/create', refundPayload()));
    const order = await t.db.selectFrom('orders').select(['cancelled_at']).executeTakeFirstOrThrow();
    expect(order.cancelled_at?.toISOString()).toBe('2024-02-04T00:00:00.000Z');
    const refunded = await t.db.selectFrom('refund_line_items').selectAll().execute();
    expect(refunded).toEqual([expect.objectContaining({ line_item_id: '50011', quantity: 1, subtotal_minor: 695 })]);
  });

  it('fails malformed payloads for good and writes nothing', async () => {
    await expect(ingest(job('orders/create', '{not json'))).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(ingest(job('orders/create', { id: 1 }))).rejects.toThrow(/malformed orders\/create payload: .*created_at/);
    await expect(ingest(job('orders/create', orderPayload({ total_price: '12.345' })))).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(ingest(job('products/update', productPayload({ variants: [{ id: 1, price: 'free' }] })))).rejects.toThrow(
      /variants\.0\.price: must be a decimal amount/,
    );
    await expect(ingest({ topic: 'orders/create' })).rejects.toThrow(/malformed ingest job/);
    expect(await t.db.selectFrom('orders').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('products').selectAll().execute()).toEqual([]);
  });

  it('marks the shop inactive on uninstall unless a newer install happened', async () => {
    await t.db.insertInto('shops').values({ domain: SHOP, active: true, scope: 'read_orders', installed_at: new Date('2024-03-02T00:00:00Z'), uninstalled_at: null }).execute();
    await ingest(job('app/uninstalled', { id: 1, domain: SHOP }, { triggeredAt: '2024-03-01T00:00:00Z' }));
    expect((await t.db.selectFrom('shops').select('active').executeTakeFirstOrThrow()).active).toBe(true);
    await ingest(job('app/uninstalled', { id: 1, domain: SHOP }, { triggeredAt: '2024-03-03T00:00:00Z' }));
    expect((await t.db.selectFrom('shops').select('active').executeTakeFirstOrThrow()).active).toBe(false);
  });

  it('erases a shop on shop/redact only when the signed body names the same shop', async () => {
    await ingest(job('orders/create', orderPayload()));
    await expect(ingest(job('shop/redact', { shop_id: 1, shop_domain: 'other.myshopify.com' }))).rejects.toThrow(
      /shop_domain other.myshopify.com is not ingest-test.myshopify.com/,
    );
    expect(await t.db.selectFrom('orders').select('id').execute()).toHaveLength(1);
    await saveTrainingStatus(t.db, { shop: SHOP, status: 'published', lastRunAt: new Date() });
    await saveTrainingStatus(t.db, { shop: 'other.myshopify.com', status: 'published', lastRunAt: new Date() });
    // The storefront's and the sponsored business's rows of the shop, a ledger entry included.
    for (const shop of [SHOP, 'other.myshopify.com']) {
      const campaign = await t.db
        .insertInto('sponsored_campaigns')
        .values({ shop, name: 'c', vendor: 'Acme', advertiser: 'Acme', max_cpc_minor: 10, daily_budget_minor: 100, total_budget_minor: 1000, currency: 'GBP', starts_at: new Date(), placements: '["fbt"]', status: 'active' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db.insertInto('sponsored_campaign_products').values({ campaign_id: campaign.id, shop, product_id: '1001' }).execute();
      await t.db
        .insertInto('sponsored_ledger')
        .values({ shop, charge_key: 'imp:1001', campaign_id: campaign.id, event_id: 'e', impression_id: 'imp', product_id: '1001', placement: 'fbt', token: 't', visitor_key: 'v', price_minor: 5, amount_minor: 5, currency: 'GBP', day: '2026-11-28', status: 'charged', clicked_at: new Date() })
        .execute();
      await t.db.insertInto('storefront_event_counts').values({ shop, day: '2026-11-28', placement: 'fbt', type: 'click', product_id: '1001' }).execute();
      await t.db.insertInto('merchant_rules').values({ shop, id: 'r1', kind: 'exclude', match: 'tag', value: 'x', placement: null, position: null }).execute();
    }
    await ingest(job('shop/redact', { shop_id: 1, shop_domain: SHOP }));
    expect(await trainingStatusOf(t.db, SHOP)).toBeUndefined();
    expect(await trainingStatusOf(t.db, 'other.myshopify.com')).toBeDefined();
    expect(await t.db.selectFrom('orders').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('order_line_items').select('id').execute()).toEqual([]);
    // No table that names a shop keeps a row of this one; the other shop keeps its rows.
    const { rows: tables } = await sql<{ table_name: string }>`
      select table_name from information_schema.columns where column_name = 'shop' and table_schema = current_schema() order by 1`.execute(t.db);
    expect(tables.length).toBeGreaterThan(20);
    for (const { table_name } of tables) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)} where shop = ${SHOP}`.execute(t.db);
      expect([table_name, rows[0]!.n]).toEqual([table_name, 0]);
    }
    expect(await t.db.selectFrom('sponsored_ledger').select('shop').execute()).toEqual([{ shop: 'other.myshopify.com' }]);
  });

  it('refuses a delivery whose Triggered-At header is not a timestamp', async () => {
    await expect(ingest(job('app/uninstalled', {}, { triggeredAt: 'yesterday' }))).rejects.toBeInstanceOf(UnrecoverableError);
  });

  it('redacts a customer by unlinking their orders', async () => {
    await ingest(job('orders/create', orderPayload()));
    await ingest(job('customers/redact', { shop_domain: SHOP, customer: { id: 777 }, orders_to_redact: [5001] }));
    const order = await t.db.selectFrom('orders').select('customer_key').executeTakeFirstOrThrow();
    expect(order.customer_key).toBeNull();
  });
});
