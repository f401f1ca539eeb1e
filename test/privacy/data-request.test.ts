import type { Queue } from 'bullmq';
import { EXPORT_FORMAT } from '../../worker/privacy';
import { switchServing, writeVersionLists } from '../../worker/train';
import { sessionToken, startAdminApp } from '../app/admin/admin-api-fixtures';
import { insertShop } from '../app/proxy/recommendations/storefront-fixtures';
import { testRuntime } from '../support/runtime';
import { productId, writeProducts } from '../worker/train/small-store';
import { ingestQueue, privacyProcessor, writeCustomer, type CustomerFixture } from './support/customer-fixture';

type Runtime = Awaited<ReturnType<typeof testRuntime>>;

const SHOP = 'export.myshopify.com';
const OTHER = 'export-other.myshopify.com';
const ADA = { customerId: '555000111222', visitorId: 'adaExportV1x', firstOrder: 7_500_001 };

describe.each(['pglite', 'postgres'] as const)('customers/data_request → export → admin API download, on %s', (backend) => {
  let rt: Runtime;
  let queue: Queue;
  let app: Awaited<ReturnType<typeof startAdminApp>>;
  let ingest: ReturnType<typeof privacyProcessor>;
  let ada: CustomerFixture;

  beforeAll(async () => {
    rt = await testRuntime({ backend });
    queue = ingestQueue(rt);
    ingest = privacyProcessor(rt, [queue]);
    app = await startAdminApp(rt, { now: Date.now() });
    for (const shop of [SHOP, OTHER]) {
      await insertShop(rt.db, shop, 'GBP');
      await writeProducts(rt.db, shop, 30);
    }
    ada = await writeCustomer(rt, queue, ingest, SHOP, ADA);
    // Published lists with a "for you" list and a history under their pseudonym.
    const lists = { trending: [productId(1)], popular: [productId(1)], product: {}, cart: {}, for_you: { [ada.customerKey]: [productId(9), productId(12)] }, history: { [ada.customerKey]: [productId(6)] } };
    await writeVersionLists({ redis: rt.redis, prefix: rt.config.queuePrefix, shop: SHOP, version: '5', lists, now: Date.now() });
    await switchServing({ redis: rt.redis, prefix: rt.config.queuePrefix, shop: SHOP, version: '5' });
  });
  afterAll(async () => {
    await app.close();
    await queue.close();
    await rt.close();
  });

  const request = (shop: string, id: number, orders: string[]) =>
    ingest(shop, 'customers/data_request', { shop_id: 1, shop_domain: shop, orders_requested: orders.map(Number), customer: { id: Number(ADA.customerId), email: 'ada@example.com', phone: '+44 20 7946 0000' }, data_request: { id } });

  it('stores the export of orders, events, exposures, credits and lists, downloadable by the shop only', async () => {
    await request(SHOP, 4242, [ada.orderIds[0]!, '999']);
    await request(OTHER, 4343, []);
    const token = sessionToken(SHOP);

    expect((await app.call('GET', '/api/data-requests')).status).toBe(401);
    const list = await app.call('GET', '/api/data-requests', { token });
    expect(list.status).toBe(200);
    expect(list.body.data_requests).toEqual([expect.objectContaining({ id: '4242', orders_requested: [ada.orderIds[0], '999'], download: '/api/data-requests/4242' })]);

    const res = await fetch(`${app.url}/api/data-requests/4242`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="data-request-4242.json"');
    const text = await res.text();
    const data = JSON.parse(text);
    expect(data).toMatchObject({ format: EXPORT_FORMAT, shop: SHOP, dataRequestId: '4242', customerKey: ada.customerKey, visitorKeys: [ada.visitorKey], ordersNotHeld: ['999'] });
    expect(data.orders.map((o: { id: string }) => o.id)).toEqual(ada.orderIds);
    expect(data.orders[0].line_items).toHaveLength(3);
    expect(data.orders[0].line_items[0]).toMatchObject({ product_id: productId(0), quantity: 1, price_minor: 500 });
    // Stored events of their visitor (logged in or not); another visitor's event is not theirs.
    expect(data.storefrontEvents.map((e: { id: string }) => e.id).sort()).toEqual([`evt-${ADA.firstOrder}-a`, `evt-${ADA.firstOrder}-b`]);
    expect(data.holdoutExposures).toEqual([expect.objectContaining({ day: '2026-04-11', visitor_key: ada.visitorKey, grp: 'treatment' })]);
    expect(data.recommendations).toEqual({ servingVersion: '5', forYou: [productId(9), productId(12)], history: [productId(6)] });
    // What the orders hold is theirs, the visitor id their cart carried included.
    expect(data.orders[0].note_attributes).toEqual([{ name: '_shelfwise_visitor', value: ADA.visitorId }]);
    // Nothing of the payload's identity is stored or exported: only the pseudonym.
    for (const secret of ['ada@example.com', '7946', ADA.customerId]) expect(text).not.toContain(secret);
    const row = JSON.stringify(await rt.db.selectFrom('data_requests').selectAll().execute());
    for (const secret of ['ada@example.com', '7946', ADA.customerId]) expect(row).not.toContain(secret);

    // Another shop's token sees its own request only, never this one.
    const other = sessionToken(OTHER);
    expect((await app.call('GET', '/api/data-requests', { token: other })).body.data_requests.map((r: { id: string }) => r.id)).toEqual(['4343']);
    expect((await app.call('GET', '/api/data-requests/4242', { token: other })).status).toBe(404);
    expect((await app.call('GET', '/api/data-requests/..%2F4242', { token })).status).toBe(404);

    // A redelivery rewrites the one row; a redaction of the customer deletes their export.
    await request(SHOP, 4242, [ada.orderIds[0]!, '999']);
    expect(await rt.db.selectFrom('data_requests').select('id').where('shop', '=', SHOP).execute()).toEqual([{ id: '4242' }]);
    await ingest(SHOP, 'customers/redact', { shop_id: 1, shop_domain: SHOP, customer: { id: Number(ADA.customerId) }, orders_to_redact: [] });
    expect((await app.call('GET', '/api/data-requests/4242', { token })).status).toBe(404);
    expect((await app.call('GET', '/api/data-requests', { token: other })).body.data_requests).toHaveLength(1);
  });

  it('refuses a payload naming another shop, writing nothing', async () => {
    await expect(ingest(SHOP, 'customers/data_request', { shop_domain: OTHER, customer: { id: 1 }, data_request: { id: 1 } })).rejects.toThrow(/shop_domain export-other\.myshopify\.com is not export\.myshopify\.com/);
    await expect(ingest(SHOP, 'customers/data_request', { shop_domain: SHOP, customer: 'nope' })).rejects.toThrow(/malformed customers\/data_request payload/);
    expect(await rt.db.selectFrom('data_requests').select('id').where('id', '=', '1').execute()).toEqual([]);
  });
});
