import fc from 'fast-check';
import { sql } from 'kysely';
import { VISITOR_CART_ATTRIBUTE } from '../../../shared/attribution';
import { customerPseudonym } from '../../../shared/crypto';
import type { Db } from '../../../shared/db';
import { createLogger } from '../../../shared/logger';
import { recommendationTokenKey, signRecommendationToken, TOKEN_PROPERTY, type RecommendationToken } from '../../../shared/tracking';
import { attributingOrderWriter, createOrderAttribution, reattributeOrder } from '../../../worker/attribution';
import { createIngestProcessor, orderPayload as orderSchema, orderRecord } from '../../../worker/ingest';
import { upsertOrder } from '../../../worker/store';
import { BACKENDS, type TestDatabase } from '../../support/databases';
import { clearStore } from '../../support/dump';
import { orderPayload, refundPayload } from '../../support/shopify-payloads';

const SHOP = 'attribution-test.myshopify.com';
const CUSTOMER_ID_KEY = 'test-customer-id-key-0123456789';
const TOKEN_KEY = recommendationTokenKey(Buffer.alloc(32, 11));
const COMPUTED_AT = new Date('2024-03-01T00:00:00Z');
const CUSTOMER = customerPseudonym(CUSTOMER_ID_KEY, SHOP, '777');

function token(o: Partial<RecommendationToken> & { productId: string; at: string; shop?: string; campaignId?: string }): string {
  const { at, shop, campaignId, ...rest } = o;
  return signRecommendationToken(TOKEN_KEY, shop ?? SHOP, {
    impressionId: 'imp1',
    placement: campaignId ? 'sponsored' : 'fbt',
    position: 0,
    modelVersion: '42',
    sponsored: campaignId !== undefined,
    issuedAt: Math.floor(Date.parse(at) / 1000),
    sponsorship: campaignId ? { campaignId, priceMinor: 25 } : null,
    ...rest,
  });
}

function job(topic: string, body: unknown) {
  return { shop: SHOP, topic, webhookId: `wh-${Math.random()}`, receivedAt: '2024-03-01T00:00:00.000Z', body: typeof body === 'string' ? body : JSON.stringify(body) };
}

async function clearAll(db: Db): Promise<void> {
  await clearStore(db);
  for (const table of ['order_attributions', 'attribution_daily', 'attribution_settings', 'storefront_events', 'order_revenue', 'store_daily', 'attribution_daily_orders', 'redactions']) await sql`delete from ${sql.table(table)}`.execute(db);
}

async function insertEvent(db: Db, e: { id: string; type: 'click' | 'impression'; at: string; productId: string; token: string; customerKey?: string | null; sponsored?: boolean }) {
  await db
    .insertInto('storefront_events')
    .values({
      shop: SHOP,
      id: e.id,
      type: e.type,
      occurred_at: e.at,
      received_at: e.at,
      visitor_key: 'v',
      customer_key: e.customerKey === undefined ? CUSTOMER : e.customerKey,
      impression_id: 'imp',
      placement: 'fbt',
      product_id: e.productId,
      position: 0,
      model_version: '42',
      sponsored: e.sponsored ?? false,
      token: e.token,
      variant_id: null,
      quantity: null,
    })
    .execute();
}

async function attributions(db: Db) {
  return db.selectFrom('order_attributions').selectAll().orderBy('line_item_id').execute();
}

async function daily(db: Db) {
  return db.selectFrom('attribution_daily').selectAll().orderBy('day').orderBy('placement').orderBy('source').orderBy('campaign_id').orderBy('model_version').orderBy('sponsored').execute();
}

/** The rollup computed again, apart, from order_attributions rows. */
async function independentRollup(db: Db) {
  const rows = await attributions(db);
  const groups = new Map<string, { orders: Set<string>; line_items: number; net_minor: number }>();
  for (const r of rows) {
    if (r.net_minor <= 0) continue;
    const key = JSON.stringify([r.day, r.placement, r.sponsored, String(r.campaign_id ?? 0), r.model_version ?? '', r.source, r.currency]);
    const g = groups.get(key) ?? { orders: new Set(), line_items: 0, net_minor: 0 };
    g.orders.add(r.order_id);
    g.line_items += 1;
    g.net_minor += Number(r.net_minor);
    groups.set(key, g);
  }
  return [...groups.entries()].map(([k, g]) => JSON.stringify([...JSON.parse(k), g.orders.size, g.line_items, g.net_minor])).sort();
}

async function orderRevenue(db: Db) {
  return db.selectFrom('order_revenue').selectAll().orderBy('order_id').execute();
}

async function storeDaily(db: Db) {
  return db.selectFrom('store_daily').selectAll().orderBy('day').orderBy('currency').execute();
}

async function dailyOrders(db: Db) {
  const rows = await db.selectFrom('attribution_daily_orders').selectAll().execute();
  return rows
    .map((r) => JSON.stringify([r.day, r.dimension, r.placement, r.sponsored, r.model_version, String(r.campaign_id), r.vendor, r.currency, r.orders, r.click_orders, r.line_items, Number(r.net_minor)]))
    .sort();
}

/** store_daily computed again, apart, from order_revenue rows. */
async function independentStoreDaily(db: Db) {
  const groups = new Map<string, { orders: number; net: number; withOrders: number; withNet: number }>();
  for (const r of await orderRevenue(db)) {
    const key = `${r.day}|${r.currency}`;
    const g = groups.get(key) ?? { orders: 0, net: 0, withOrders: 0, withNet: 0 };
    g.orders += 1;
    g.net += Number(r.net_minor);
    if (Number(r.attributed_minor) > 0) {
      g.withOrders += 1;
      g.withNet += Number(r.net_minor);
    }
    groups.set(key, g);
  }
  return [...groups.entries()].map(([k, g]) => [...k.split('|'), g.orders, g.net, g.withOrders, g.withNet]).sort();
}

async function storedStoreDaily(db: Db) {
  return (await storeDaily(db)).map((r) => [r.day, r.currency, r.orders, Number(r.net_minor), r.orders_with_recommendation, Number(r.net_with_recommendation_minor)]).sort();
}

/** attribution_daily_orders computed again, apart, from order_attributions rows (no campaigns table rows here: no vendor rows). */
async function independentDailyOrders(db: Db) {
  const groups = new Map<string, { orders: Set<string>; clicked: Set<string>; lines: number; net: number }>();
  for (const r of await attributions(db)) {
    if (Number(r.net_minor) <= 0) continue;
    const keys = [
      [r.day, 'all', '', false, '', '0', '', r.currency],
      [r.day, 'placement', r.placement, r.sponsored, '', '0', '', r.currency],
      [r.day, 'model', '', false, r.model_version ?? '', '0', '', r.currency],
      ...(r.campaign_id === null ? [] : [[r.day, 'campaign', '', true, '', String(r.campaign_id), '', r.currency]]),
    ];
    for (const k of keys) {
      const key = JSON.stringify(k);
      const g = groups.get(key) ?? { orders: new Set(), clicked: new Set(), lines: 0, net: 0 };
      g.orders.add(r.order_id);
      if (r.source !== 'view') g.clicked.add(r.order_id);
      g.lines += 1;
      g.net += Number(r.net_minor);
      groups.set(key, g);
    }
  }
  return [...groups.entries()].map(([k, g]) => JSON.stringify([...JSON.parse(k), g.orders.size, g.clicked.size, g.lines, g.net])).sort();
}

async function storedRollup(db: Db) {
  return (await daily(db)).map((r) => JSON.stringify([r.day, r.placement, r.sponsored, String(r.campaign_id), r.model_version, r.source, r.currency, r.orders, r.line_items, Number(r.net_minor)])).sort();
}

describe.each(BACKENDS)('order attribution on %s', (name, open) => {
  let t: TestDatabase;
  let ingest: ReturnType<typeof createIngestProcessor>;
  const attribution = () => createOrderAttribution({ db: t.db, tokenKey: TOKEN_KEY, customerIdKey: CUSTOMER_ID_KEY, now: () => COMPUTED_AT });
  beforeAll(async () => {
    t = await open();
    ingest = createIngestProcessor({ db: t.db, logger: createLogger({ level: 'silent' }), customerIdKey: CUSTOMER_ID_KEY, attributeOrder: attribution().attributeOrder });
  });
  afterAll(() => t.close());
  beforeEach(() => clearAll(t.db));

  it('credits a tagged line through the ingest, takes refunds off, zeroes on a full refund and drops a cancelled order', async () => {
    const tagged = token({ productId: '1001', at: '2024-01-30T10:00:00Z', impressionId: 'servedA' });
    const order = orderPayload({
      presentment_currency: 'USD',
      note_attributes: [{ name: '_shelfwise_visitor', value: 'visitor-0001' }],
      total_discounts: '1.00',
      // Shipping and tax are in total_price but never in attributed revenue.
      total_price: '31.85',
      line_items: [
        { id: 50011, product_id: 1001, variant_id: 10011, title: 'Mug', quantity: 3, price: '6.95', total_discount: '1.00', properties: [{ name: TOKEN_PROPERTY, value: tagged }] },
        { id: 50012, product_id: 1002, variant_id: 10021, title: 'Plate', quantity: 1, price: '9.00', total_discount: '0.00', properties: [] },
      ],
    });
    await ingest(job('orders/create', order));
    expect(await attributions(t.db)).toEqual([
      expect.objectContaining({
        shop: SHOP, order_id: '5001', line_item_id: '50011', source: 'property', token: tagged, event_id: null, impression_id: 'servedA',
        placement: 'fbt', product_id: '1001', sponsored: false, campaign_id: null, model_version: '42', net_minor: 1985,
        currency: 'GBP', presentment_currency: 'USD', day: '2024-02-01',
      }),
    ]);
    expect(await daily(t.db)).toEqual([
      expect.objectContaining({ day: '2024-02-01', placement: 'fbt', sponsored: false, model_version: '42', source: 'property', currency: 'GBP', orders: 1, line_items: 1, net_minor: 1985 }),
    ]);
    expect(Number((await daily(t.db))[0]!.campaign_id)).toBe(0);
    // The whole order's net line revenue (3 × 6.95 − 1.00 + 9.00), not the total with shipping and tax.
    expect(await orderRevenue(t.db)).toEqual([
      expect.objectContaining({
        shop: SHOP, order_id: '5001', day: '2024-02-01', currency: 'GBP', presentment_currency: 'USD', net_minor: 2885, attributed_minor: 1985,
        recommendation_minor: 1985, sponsored_minor: 0, has_recommendation: true, customer_key: CUSTOMER,
        visitor_key: customerPseudonym(CUSTOMER_ID_KEY, SHOP, 'visitor:visitor-0001'),
      }),
    ]);
    expect(await storedStoreDaily(t.db)).toEqual([['2024-02-01', 'GBP', 1, 2885, 1, 2885]]);

    await ingest(job('refunds/create', refundPayload()));
    expect((await attributions(t.db)).map((r) => r.net_minor)).toEqual([1290]);
    expect((await daily(t.db)).map((r) => r.net_minor)).toEqual([1290]);

    const rest = refundPayload({ id: 9002, refund_line_items: [{ line_item_id: 50011, quantity: 2, subtotal_set: { shop_money: { amount: '12.90', currency_code: 'GBP' } } }] });
    await ingest(job('refunds/create', rest));
    // Still credited, with nothing left to count: the rollup has no revenue row for it.
    expect((await attributions(t.db)).map((r) => r.net_minor)).toEqual([0]);
    expect(await daily(t.db)).toEqual([]);
    // Nothing attributed is left: the order now counts as one without a recommendation.
    expect(await storedStoreDaily(t.db)).toEqual([['2024-02-01', 'GBP', 1, 900, 0, 0]]);

    await ingest(job('orders/cancelled', { ...order, updated_at: '2024-02-05T00:00:00Z', cancelled_at: '2024-02-05T00:00:00Z' }));
    expect(await attributions(t.db)).toEqual([]);
    expect(await daily(t.db)).toEqual([]);
    expect(await orderRevenue(t.db)).toEqual([]);
    expect(await storeDaily(t.db)).toEqual([]);
  });

  it('credits the customer’s last click, and a sponsored view only within a day, from stored events', async () => {
    const clickedEarly = token({ productId: '1001', at: '2024-01-28T10:00:00Z', impressionId: 'early' });
    const clickedLate = token({ productId: '1001', at: '2024-01-31T09:00:00Z', impressionId: 'late', campaignId: '77' });
    await insertEvent(t.db, { id: 'c1', type: 'click', at: '2024-01-28T10:00:05Z', productId: '1001', token: clickedEarly });
    await insertEvent(t.db, { id: 'c2', type: 'click', at: '2024-01-31T09:00:05Z', productId: '1001', token: clickedLate, sponsored: true });
    // Someone else's later click, and a click after the order, do not count.
    await insertEvent(t.db, { id: 'c3', type: 'click', at: '2024-02-01T08:00:00Z', productId: '1001', token: clickedEarly, customerKey: 'another' });
    await insertEvent(t.db, { id: 'c4', type: 'click', at: '2024-02-01T10:30:00Z', productId: '1001', token: clickedEarly });
    // A sponsored impression 23 h before the order, and one 25 h before it.
    const seen = token({ productId: '1002', at: '2024-01-31T11:00:00Z', impressionId: 'seen', campaignId: '78' });
    const seenLong = token({ productId: '1003', at: '2024-01-31T09:00:00Z', impressionId: 'seenLong', campaignId: '78' });
    await insertEvent(t.db, { id: 'v1', type: 'impression', at: '2024-01-31T11:00:00Z', productId: '1002', token: seen, sponsored: true });
    await insertEvent(t.db, { id: 'v2', type: 'impression', at: '2024-01-31T09:00:00Z', productId: '1003', token: seenLong, sponsored: true });
    const lines = [1001, 1002, 1003].map((p, k) => ({ id: 60001 + k, product_id: p, variant_id: p * 10, title: `P${p}`, quantity: 1, price: '5.00', properties: [] }));
    await ingest(job('orders/create', orderPayload({ id: 6000, line_items: lines })));
    expect((await attributions(t.db)).map((r) => [r.line_item_id, r.source, r.event_id, r.impression_id, r.sponsored, r.campaign_id === null ? null : String(r.campaign_id), r.net_minor])).toEqual([
      ['60001', 'click', 'c2', 'late', true, '77', 500],
      ['60002', 'view', 'v1', 'seen', true, '78', 500],
    ]);
    expect(await storedRollup(t.db)).toEqual(await independentRollup(t.db));

    // A shop with a shorter sponsored click window: the sponsored click is too old, the earlier
    // recommendation click is older still (beyond 7 days? no: 4 days, inside) and wins instead.
    await t.db.insertInto('attribution_settings').values({ shop: SHOP, sponsored_click_window_seconds: 3600 }).execute();
    await reattributeOrder({ db: t.db, tokenKey: TOKEN_KEY, customerIdKey: CUSTOMER_ID_KEY, now: () => COMPUTED_AT }, SHOP, '6000');
    expect((await attributions(t.db)).map((r) => [r.line_item_id, r.source, r.event_id])).toEqual([
      ['60001', 'click', 'c1'],
      ['60002', 'view', 'v1'],
    ]);
  });

  it('keeps click and view credits once their raw events are purged and their customer redacted, refunds still taken off', async () => {
    const clicked = token({ productId: '1001', at: '2024-01-31T09:00:00Z', impressionId: 'late', campaignId: '77' });
    const seen = token({ productId: '1002', at: '2024-01-31T11:00:00Z', impressionId: 'seen', campaignId: '78' });
    await insertEvent(t.db, { id: 'c2', type: 'click', at: '2024-01-31T09:00:05Z', productId: '1001', token: clicked, sponsored: true });
    await insertEvent(t.db, { id: 'v1', type: 'impression', at: '2024-01-31T11:00:00Z', productId: '1002', token: seen, sponsored: true });
    const lines = [1001, 1002].map((p, k) => ({ id: 60001 + k, product_id: p, variant_id: p * 10, title: `P${p}`, quantity: 1, price: '5.00', properties: [] }));
    await ingest(job('orders/create', orderPayload({ id: 6000, customer: { id: 777 }, line_items: lines })));
    const credited = async () => (await attributions(t.db)).map((r) => [r.line_item_id, r.source, r.event_id, r.net_minor]);
    expect(await credited()).toEqual([
      ['60001', 'click', 'c2', 500],
      ['60002', 'view', 'v1', 500],
    ]);
    // Retention purges the raw events; a refund re-attributes the order afterwards.
    await t.db.deleteFrom('storefront_events').execute();
    await ingest(job('refunds/create', refundPayload({ id: 9301, order_id: 6000, refund_line_items: [{ line_item_id: 60001, quantity: 1, subtotal_set: { shop_money: { amount: '2.00', currency_code: 'GBP' } } }] })));
    expect(await credited()).toEqual([
      ['60001', 'click', 'c2', 300],
      ['60002', 'view', 'v1', 500],
    ]);
    // The customer is redacted (the order loses its pseudonym); a later re-attribution keeps both.
    await ingest(job('customers/redact', { shop_domain: SHOP, customer: { id: 777 }, orders_to_redact: ['6000'] }));
    await reattributeOrder({ db: t.db, tokenKey: TOKEN_KEY, customerIdKey: CUSTOMER_ID_KEY, now: () => COMPUTED_AT }, SHOP, '6000');
    expect(await credited()).toEqual([
      ['60001', 'click', 'c2', 300],
      ['60002', 'view', 'v1', 500],
    ]);
    expect(await storedRollup(t.db)).toEqual(await independentRollup(t.db));
  });

  it('keeps the credits a retired token key proved, but credits nothing new with it', async () => {
    const oldKey = recommendationTokenKey(Buffer.alloc(32, 99));
    const signOld = (productId: string, impressionId: string) =>
      signRecommendationToken(oldKey, SHOP, { impressionId, productId, placement: 'fbt', position: 0, modelVersion: '42', sponsored: false, issuedAt: Math.floor(Date.parse('2024-01-31T09:00:00Z') / 1000), sponsorship: null });
    await insertEvent(t.db, { id: 'c9', type: 'click', at: '2024-01-31T09:00:05Z', productId: '1002', token: signOld('1002', 'old-click') });
    const lines = [
      { id: 61001, product_id: 1001, variant_id: 1, title: 'A', quantity: 1, price: '5.00', properties: [{ name: TOKEN_PROPERTY, value: signOld('1001', 'old-line') }] },
      { id: 61002, product_id: 1002, variant_id: 2, title: 'B', quantity: 1, price: '5.00', properties: [] },
    ];
    // During the rotation: the new key signs, the old one still verifies.
    const rotating = { db: t.db, tokenKey: [TOKEN_KEY, oldKey], customerIdKey: CUSTOMER_ID_KEY, now: () => COMPUTED_AT };
    // Stored by the ingest (attributing with the new key only), then attributed during the rotation.
    await ingest(job('orders/create', orderPayload({ id: 6100, line_items: lines })));
    expect(await attributions(t.db)).toEqual([]);
    await reattributeOrder(rotating, SHOP, '6100');
    const credited = async () => (await attributions(t.db)).map((r) => [r.line_item_id, r.source, r.net_minor]);
    expect(await credited()).toEqual([
      ['61001', 'property', 500],
      ['61002', 'click', 500],
    ]);
    // The old key retired, then a refund re-attributes (the ingest knows the new key only): both
    // credits stay, the refund taken off.
    await ingest(job('refunds/create', refundPayload({ id: 9400, order_id: 6100, refund_line_items: [{ line_item_id: 61001, quantity: 1, subtotal_set: { shop_money: { amount: '2.00', currency_code: 'GBP' } } }] })));
    expect(await credited()).toEqual([
      ['61001', 'property', 300],
      ['61002', 'click', 500],
    ]);
    expect(await storedRollup(t.db)).toEqual(await independentRollup(t.db));
    // A new order carrying the retired key's token is credited nothing.
    await ingest(job('orders/create', orderPayload({ id: 6101, line_items: [{ ...lines[0]!, id: 61011 }] })));
    expect((await attributions(t.db)).filter((r) => r.order_id === '6101')).toEqual([]);
  });

  it('never credits a token signed for another shop', async () => {
    const foreign = token({ productId: '1001', at: '2024-01-31T10:00:00Z', shop: 'other.myshopify.com' });
    await insertEvent(t.db, { id: 'c1', type: 'click', at: '2024-01-31T10:00:05Z', productId: '1001', token: foreign });
    await ingest(
      job('orders/create', orderPayload({ note_attributes: [{ name: 'shelfwise_token', value: foreign }], line_items: [{ id: 50011, product_id: 1001, variant_id: 1, title: 'Mug', quantity: 1, price: '6.95', properties: [{ name: TOKEN_PROPERTY, value: foreign }] }] })),
    );
    expect(await t.db.selectFrom('orders').select('id').execute()).toHaveLength(1);
    expect(await attributions(t.db)).toEqual([]);
    // Counted in the store's revenue, without a recommendation; no visitor attribute, no visitor.
    expect((await orderRevenue(t.db)).map((r) => [r.net_minor, r.attributed_minor, r.has_recommendation, r.visitor_key])).toEqual([[695, 0, false, null]]);
  });

  it('re-attributes after a store write wrapped for the sync', async () => {
    const write = attributingOrderWriter(upsertOrder, attribution());
    const payload = orderSchema.parse(orderPayload({ line_items: [{ id: 50011, product_id: 1001, variant_id: 1, title: 'Mug', quantity: 2, price: '6.95', properties: [{ name: TOKEN_PROPERTY, value: token({ productId: '1001', at: '2024-01-31T10:00:00Z' }) }] }] }));
    expect(await write(t.db, orderRecord(SHOP, payload, CUSTOMER_ID_KEY))).toBe('applied');
    expect((await attributions(t.db)).map((r) => r.net_minor)).toEqual([1390]);
    expect(await write(t.db, orderRecord(SHOP, payload, CUSTOMER_ID_KEY))).toBe('stale');
    expect((await attributions(t.db)).map((r) => r.net_minor)).toEqual([1390]);
  });

  it('drops the customer pseudonym and the visitor link from orders and order_revenue on customers/redact, and keeps them gone after a re-attribution', async () => {
    const notes = [
      { name: 'gift_message', value: 'hello' },
      { name: VISITOR_CART_ATTRIBUTE, value: 'visitor-abc-123' },
    ];
    await ingest(job('orders/create', orderPayload({ note_attributes: notes, line_items: [{ id: 50011, product_id: 1001, variant_id: 1, title: 'Mug', quantity: 1, price: '6.95', properties: [] }] })));
    expect((await orderRevenue(t.db)).map((r) => [r.customer_key, r.visitor_key === null])).toEqual([[CUSTOMER, false]]);
    await ingest(job('customers/redact', { shop_domain: SHOP, customer: { id: 777 }, orders_to_redact: [] }));
    expect((await orderRevenue(t.db)).map((r) => [r.customer_key, r.visitor_key])).toEqual([[null, null]]);
    expect((await t.db.selectFrom('orders').select(['customer_key', 'note_attributes']).execute()).map((o) => [o.customer_key, o.note_attributes])).toEqual([[null, [notes[0]]]]);
    await reattributeOrder({ db: t.db, tokenKey: TOKEN_KEY, customerIdKey: CUSTOMER_ID_KEY, now: () => COMPUTED_AT }, SHOP, '5001');
    expect((await orderRevenue(t.db)).map((r) => [r.customer_key, r.visitor_key, r.net_minor])).toEqual([[null, null, 695]]);
  });

  it('keeps a redacted customer’s orders unlinked when Shopify sends them again, but not the orders they place afterwards', async () => {
    const notes = [{ name: VISITOR_CART_ATTRIBUTE, value: 'visitor-abc-123' }];
    const line = (id: number) => [{ id, product_id: 1001, variant_id: 1, title: 'Mug', quantity: 1, price: '6.95', properties: [] }];
    await ingest(job('orders/create', orderPayload({ id: 5001, note_attributes: notes, line_items: line(50011) })));
    await ingest(job('customers/redact', { shop_domain: SHOP, customer: { id: 777 }, orders_to_redact: [] }));
    // A refund or a fulfilment later: Shopify sends the whole order again, customer and cart included.
    await ingest(job('orders/updated', orderPayload({ id: 5001, updated_at: '2024-02-03T10:00:00+00:00', financial_status: 'refunded', note_attributes: notes, line_items: line(50011) })));
    // An order named by id in orders_to_redact, sent again without a customer.
    await ingest(job('orders/create', orderPayload({ id: 5002, customer: null, note_attributes: notes, line_items: line(50021) })));
    // 5004 is listed too, though not held yet: it arrives later (a delayed webhook, the reconcile).
    await ingest(job('customers/redact', { shop_domain: SHOP, customer: null, orders_to_redact: [5002, 5004] }));
    await ingest(job('orders/updated', orderPayload({ id: 5002, customer: null, updated_at: '2024-02-03T10:00:00+00:00', note_attributes: notes, line_items: line(50021) })));
    await ingest(job('orders/create', orderPayload({ id: 5004, customer: null, note_attributes: notes, line_items: line(50041) })));
    // The same customer buys again after the redaction: a new order, linked as any other.
    const later = '2099-01-01T10:00:00+00:00';
    await ingest(job('orders/create', orderPayload({ id: 5003, created_at: later, updated_at: later, processed_at: later, note_attributes: notes, line_items: line(50031) })));
    const orders = await t.db.selectFrom('orders').select(['id', 'customer_key', 'note_attributes', 'financial_status']).orderBy('id').execute();
    expect(orders.map((o) => [o.id, o.customer_key, o.note_attributes, o.financial_status])).toEqual([
      ['5001', null, [], 'refunded'],
      ['5002', null, [], 'paid'],
      ['5003', CUSTOMER, notes, 'paid'],
      ['5004', null, [], 'paid'],
    ]);
    expect((await orderRevenue(t.db)).map((r) => [r.order_id, r.customer_key, r.visitor_key === null])).toEqual([
      ['5001', null, true],
      ['5002', null, true],
      ['5003', CUSTOMER, false],
      ['5004', null, true],
    ]);
  });

  it('erases the shop’s credits, rollups and windows on shop/redact', async () => {
    await t.db.insertInto('attribution_settings').values({ shop: SHOP }).execute();
    await ingest(job('orders/create', orderPayload({ line_items: [{ id: 50011, product_id: 1001, variant_id: 1, title: 'Mug', quantity: 1, price: '6.95', properties: [{ name: TOKEN_PROPERTY, value: token({ productId: '1001', at: '2024-01-31T10:00:00Z' }) }] }] })));
    expect(await attributions(t.db)).toHaveLength(1);
    expect(await daily(t.db)).toHaveLength(1);
    expect(await orderRevenue(t.db)).toHaveLength(1);
    expect(await storeDaily(t.db)).toHaveLength(1);
    expect(await dailyOrders(t.db)).not.toEqual([]);
    await ingest(job('shop/redact', { shop_id: 1, shop_domain: SHOP }));
    expect(await attributions(t.db)).toEqual([]);
    expect(await daily(t.db)).toEqual([]);
    expect(await orderRevenue(t.db)).toEqual([]);
    expect(await storeDaily(t.db)).toEqual([]);
    expect(await dailyOrders(t.db)).toEqual([]);
    expect(await t.db.selectFrom('attribution_settings').selectAll().execute()).toEqual([]);
  });

  // Deliveries of three orders (two on one day), each in several versions, with refunds from
  // refunds/create and from the orders' own lists, tokens, clicks and a cancellation.
  const P1 = token({ productId: '1', at: '2024-01-30T00:00:00Z', impressionId: 'i1' });
  const P2 = token({ productId: '2', at: '2024-01-25T00:00:00Z', impressionId: 'i2', campaignId: '5' });
  const CART3 = token({ productId: '3', at: '2024-01-31T00:00:00Z', impressionId: 'i3', modelVersion: '43' });
  const CLICK2 = token({ productId: '2', at: '2024-01-31T12:00:00Z', impressionId: 'i4' });
  const CREATED = { 1: '2024-02-01T10:00:00Z', 2: '2024-02-01T18:00:00Z', 3: '2024-02-02T09:00:00Z' } as const;
  const REFUNDS = [
    refundPayload({ id: 101, order_id: 1, refund_line_items: [{ line_item_id: 11, quantity: 1, subtotal_set: { shop_money: { amount: '2.50', currency_code: 'GBP' } } }] }),
    refundPayload({ id: 102, order_id: 1, refund_line_items: [{ line_item_id: 12, quantity: 9, subtotal_set: { shop_money: { amount: '99.00', currency_code: 'GBP' } } }] }),
    refundPayload({ id: 201, order_id: 2, refund_line_items: [{ line_item_id: 21, quantity: 1, subtotal_set: { shop_money: { amount: '4.00', currency_code: 'GBP' } } }] }),
  ];
  function orderVersion(id: 1 | 2 | 3, version: number, cancelled: boolean): { topic: string; body: string } {
    const updated = `2024-02-0${3 + version}T00:00:00Z`;
    const refunds = REFUNDS.filter((r) => r.order_id === id && version >= 1);
    const lines = [
      { id: id * 10 + 1, product_id: id, variant_id: id, title: 'A', quantity: 1 + version, price: '2.50', total_discount: version === 2 ? '0.50' : '0.00', properties: id === 3 ? [] : [{ name: TOKEN_PROPERTY, value: id === 1 ? P1 : P2 }] },
      { id: id * 10 + 2, product_id: 2, variant_id: 2, title: 'B', quantity: 2, price: '4.00', properties: [] },
      { id: id * 10 + 3, product_id: 3, variant_id: 3, title: 'C', quantity: 1, price: '11.00', properties: [] },
    ];
    return {
      topic: cancelled ? 'orders/cancelled' : version === 0 ? 'orders/create' : 'orders/updated',
      body: JSON.stringify(
        orderPayload({ id, created_at: CREATED[id], updated_at: updated, cancelled_at: cancelled ? updated : null, note_attributes: [{ name: '_shelfwise', value: CART3 }], line_items: lines, refunds }),
      ),
    };
  }
  const DELIVERIES = [
    ...([1, 2, 3] as const).flatMap((id) => [0, 1, 2].map((v) => orderVersion(id, v, id === 3 && v === 2))),
    ...REFUNDS.map((r) => ({ topic: 'refunds/create', body: JSON.stringify(r) })),
  ];

  it('ends with the same credits and rollups whatever order and duplicates the deliveries arrive in', async () => {
    const deliver = async (order: number[], concurrent: boolean) => {
      await clearAll(t.db);
      await insertEvent(t.db, { id: 'k1', type: 'click', at: '2024-01-31T12:00:05Z', productId: '2', token: CLICK2 });
      if (concurrent) {
        // PostgreSQL: four workers at once, as the ingest queue runs them.
        const queue = [...order];
        await Promise.all([0, 1, 2, 3].map(async () => {
          for (let i = queue.shift(); i !== undefined; i = queue.shift()) await ingest(job(DELIVERIES[i]!.topic, DELIVERIES[i]!.body));
        }));
      } else {
        for (const i of order) await ingest(job(DELIVERIES[i]!.topic, DELIVERIES[i]!.body));
      }
      const rows = await attributions(t.db);
      expect(await storedRollup(t.db)).toEqual(await independentRollup(t.db));
      expect(await storedStoreDaily(t.db)).toEqual(await independentStoreDaily(t.db));
      expect(await dailyOrders(t.db)).toEqual(await independentDailyOrders(t.db));
      return { rows, rollup: await daily(t.db), revenue: await orderRevenue(t.db), store: await storeDaily(t.db), orders: await dailyOrders(t.db) };
    };
    const expected = await deliver(DELIVERIES.map((_, i) => i), false);
    // The reference itself: order 3 cancelled (nothing), orders 1 and 2 credited per line.
    expect(expected.rows.map((r) => [r.line_item_id, r.source, r.net_minor])).toEqual([
      ['11', 'property', 450], // 3 × 2.50 − 0.50 − 2.50 refunded
      ['12', 'click', 0], // 8.00, then 99.00 refunded: never below zero
      ['13', 'cart_attribute', 1100],
      ['21', 'property', 300], // 7.50 − 0.50 − 4.00 (the sponsored token, 7 days old, inside 14)
      ['22', 'click', 800],
      ['23', 'cart_attribute', 1100],
    ]);
    expect(expected.rollup.map((r) => [r.day, r.source, r.sponsored, r.orders, r.line_items, r.net_minor])).toEqual([
      ['2024-02-01', 'cart_attribute', false, 2, 2, 2200],
      ['2024-02-01', 'click', false, 1, 1, 800],
      ['2024-02-01', 'property', false, 1, 1, 450],
      ['2024-02-01', 'property', true, 1, 1, 300],
    ]);
    // Order 3 is cancelled: no row. Every line of orders 1 and 2 is credited, so net = attributed.
    expect(expected.revenue.map((r) => [r.order_id, r.net_minor, r.attributed_minor, r.recommendation_minor, r.sponsored_minor, r.has_recommendation])).toEqual([
      ['1', 1550, 1550, 1550, 0, true],
      ['2', 2200, 2200, 1900, 300, true],
    ]);
    expect(expected.store.map((r) => [r.day, r.currency, r.orders, r.net_minor, r.orders_with_recommendation, r.net_with_recommendation_minor])).toEqual([['2024-02-01', 'GBP', 2, 3750, 2, 3750]]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: DELIVERIES.length - 1 }), { maxLength: 8 }).chain((extra) => fc.shuffledSubarray([...DELIVERIES.map((_, i) => i), ...extra], { minLength: DELIVERIES.length + extra.length })),
        async (order) => {
          expect(await deliver(order, name === 'postgres')).toEqual(expected);
        },
      ),
      { numRuns: name === 'postgres' ? 12 : 15 },
    );
  });
});
