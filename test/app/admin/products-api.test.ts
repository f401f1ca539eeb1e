import { BACKENDS } from '../../support/databases';
import { testRuntime } from '../../support/runtime';
import { insertProducts, insertShop } from '../proxy/recommendations/storefront-fixtures';
import { sessionToken, startAdminApp } from './admin-api-fixtures';

let shops = 0;

describe.each(BACKENDS)('admin API: catalog products for the campaign form (%s)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let app: Awaited<ReturnType<typeof startAdminApp>>;
  let SHOP: string;
  let OTHER: string;

  beforeAll(async () => {
    runtime = await testRuntime({ backend: backend as 'pglite' | 'postgres' });
    app = await startAdminApp(runtime, { now: Date.now() });
  });
  afterAll(async () => {
    await app?.close();
    await runtime?.close();
  });
  beforeEach(async () => {
    SHOP = `products-${backend}-${++shops}.myshopify.com`;
    OTHER = `products-${backend}-${++shops}.myshopify.com`;
    await insertShop(runtime.db, SHOP, 'EUR');
    await insertShop(runtime.db, OTHER, 'EUR');
    await insertProducts(runtime.db, SHOP, [
      { id: '11', title: 'Teapot', vendor: 'Acme' },
      { id: '12', title: 'Kettle', vendor: 'Acme' },
      { id: '13', title: 'Mug', vendor: 'Potter' },
      { id: '14', title: 'Old cup', vendor: 'Acme', deleted_at: '2026-01-01T00:00:00Z' },
    ]);
    await insertProducts(runtime.db, OTHER, [{ id: '21', title: 'Secret', vendor: 'Acme' }]);
  });

  it('names the given ids of this shop only (deleted, unknown and other shops’ ids left out)', async () => {
    const answer = await app.call('GET', '/api/products?ids=13,11,14,21,99,abc', { token: sessionToken(SHOP) });
    expect(answer).toEqual({
      status: 200,
      body: {
        products: [
          { id: '13', title: 'Mug', vendor: 'Potter' },
          { id: '11', title: 'Teapot', vendor: 'Acme' },
        ],
      },
    });
  });

  it("lists a vendor's products by title", async () => {
    const answer = await app.call('GET', '/api/products?vendor=Acme', { token: sessionToken(SHOP) });
    expect(answer.body.products.map((p: { id: string }) => p.id)).toEqual(['12', '11']);
    expect((await app.call('GET', '/api/products?vendor=Ac%00me', { token: sessionToken(SHOP) })).body).toEqual({ products: [] });
    expect((await app.call('GET', '/api/products?ids=', { token: sessionToken(SHOP) })).body).toEqual({ products: [] });
  });

  it('answers only a verified session token', async () => {
    expect((await app.call('GET', '/api/products?ids=11')).status).toBe(401);
    expect((await app.call('GET', '/api/products?ids=11', { token: sessionToken(SHOP, { secret: 'wrong' }) })).status).toBe(401);
  });
});
