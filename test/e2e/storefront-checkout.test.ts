import path from 'node:path';
import { startWebServer } from '../../app';
import { setHoldoutShare } from '../../shared/holdout';
import { TOKEN_PROPERTY } from '../../shared/tracking';
import { startStorefront, type Storefront } from '../../shared/dev/storefront';
import { startWorkers, type RunningWorkers } from '../../worker';
import { eventually, testRuntime } from '../support/runtime';
import { MUG, seedStore, TEA_SHOP, TEA_SHOP_LISTS, TEA_SHOP_MODEL_VERSION, TEA_SHOP_PRODUCTS, TEAPOT } from '../support/storefront';

const REPO = path.resolve(__dirname, '..', '..');
const SHOP = TEA_SHOP.domain;
const VISITOR = 'visitorCheckout01';

/** One shopper's cookie jar over fetch: the `cart` cookie the storefront sets is sent back. */
function shopperClient(base: string) {
  const cookies = new Map<string, string>();
  const request = async (pathAndQuery: string, init: RequestInit = {}) => {
    const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${base}${pathAndQuery}`, { redirect: 'manual', ...init, headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      cookies.set(name, value);
    }
    return res;
  };
  return { request, cookie: (name: string) => cookies.get(name) };
}

/**
 * The storefront stand-in's checkout against the real app: web process and worker on PGlite, real
 * Redis. A line added from a block with its token, a line added without one, the visitor attribute
 * on the cart; "Check out" sends orders/create signed as Shopify signs it, the worker stores it and
 * credits the tagged line, and the shopper gets a new, empty cart.
 */
describe('storefront checkout (shared/dev/storefront) → signed orders/create → attribution', () => {
  let rt: Awaited<ReturnType<typeof testRuntime>>;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let workers: RunningWorkers;
  let storefront: Storefront;

  beforeAll(async () => {
    rt = await testRuntime({ backend: 'pglite', config: { STOREFRONT_CACHE_SECONDS: '1' } });
    web = await startWebServer(rt, { port: 0 });
    workers = await startWorkers(rt);
    storefront = await startStorefront({
      extensionDir: path.join(REPO, 'extensions', 'shelfwise'),
      shop: TEA_SHOP,
      products: TEA_SHOP_PRODUCTS,
      app: { proxyUrl: `${web.url}/proxy`, secret: rt.config.shopify.apiSecret, webhooksUrl: `${web.url}/webhooks`, apiVersion: rt.config.shopify.apiVersion },
      layout: { product: ['related-products'], cart: ['cart-upsell'], embeds: ['tracking'] },
    });
    await seedStore({ db: rt.db, redis: rt.redis, prefix: rt.config.queuePrefix, shop: TEA_SHOP, catalog: storefront.catalog, lists: TEA_SHOP_LISTS, modelVersion: TEA_SHOP_MODEL_VERSION });
    await setHoldoutShare(rt.db, SHOP, 0);
  }, 120_000);

  afterAll(async () => {
    await storefront?.close();
    await workers?.close();
    await web?.close();
    await rt?.close();
  }, 60_000);

  it('an empty cart does not check out', async () => {
    const shopper = shopperClient(storefront.url);
    const res = await shopper.request('/cart', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'checkout=' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/cart');
    expect(storefront.orders).toEqual([]);
  });

  it('sends the cart as a signed orders/create: the block-added line keeps its token and is credited, the other is not', async () => {
    const shopper = shopperClient(storefront.url);
    // What the Related products block asks for on the teapot's page, through the signed app proxy.
    const answer = await shopper.request(`/apps/shelfwise/recommendations?placement=related&product_id=${TEAPOT.id}&limit=4`);
    expect(answer.status).toBe(200);
    const { products } = (await answer.json()) as { products: Array<{ id: string; variant_id: string; token: string }> };
    const mug = products.find((p) => p.id === MUG.id);
    expect(mug).toBeDefined();

    const add = (body: unknown) => shopper.request('/cart/add.js', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await add({ id: mug!.variant_id, quantity: 2, properties: { [TOKEN_PROPERTY]: mug!.token } })).status).toBe(200);
    expect((await add({ id: TEAPOT.variantId, quantity: 1 })).status).toBe(200);
    await shopper.request('/cart/update.js', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ attributes: { _shelfwise_visitor: VISITOR } }) });
    const firstCart = shopper.cookie('cart');

    const cartPage = await (await shopper.request('/cart')).text();
    expect(cartPage).toMatch(/<button[^>]*name="checkout"[^>]*>Check out<\/button>/);

    const checkout = await shopper.request('/cart', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'checkout=' });
    expect(checkout.status).toBe(303);
    expect(checkout.headers.get('location')).toMatch(/^\/checkouts\/[0-9a-f]{32}\/thank-you$/);
    expect(storefront.orders).toHaveLength(1);
    const [placed] = storefront.orders;
    expect(placed!.delivery.outcome).toBe('accepted');
    const order = placed!.order;
    expect(order.currency).toBe(TEA_SHOP.currency);
    expect(order.total_price).toBe(((MUG.priceMinor * 2 + TEAPOT.priceMinor) / 100).toFixed(2));
    expect(order.line_items.map((l) => [String(l.product_id), l.quantity, l.price, l.properties])).toEqual([
      [MUG.id, 2, (MUG.priceMinor / 100).toFixed(2), [{ name: TOKEN_PROPERTY, value: mug!.token }]],
      [TEAPOT.id, 1, (TEAPOT.priceMinor / 100).toFixed(2), []],
    ]);
    expect(order.note_attributes).toEqual([{ name: '_shelfwise_visitor', value: VISITOR }]);

    // The thank-you page names the order; the browser has a new cart, and it is empty.
    const thanks = await (await shopper.request(checkout.headers.get('location')!)).text();
    expect(thanks).toContain(`Order ${order.name}`);
    expect(thanks).toContain(MUG.title);
    expect(shopper.cookie('cart')).not.toBe(firstCart);
    const cart = (await (await shopper.request('/cart.js')).json()) as { items: unknown[]; attributes: Record<string, string> };
    expect(cart).toMatchObject({ items: [], attributes: {} });
    expect(storefront.carts.cart(firstCart!).items).toEqual([]);

    // The worker stored the order as Shopify sent it and credited the tagged line only.
    const orderId = String(order.id);
    const credits = await eventually(async () => {
      const rows = await rt.db.selectFrom('order_attributions').selectAll().where('shop', '=', SHOP).where('order_id', '=', orderId).execute();
      return rows.length ? rows : undefined;
    }, 30_000);
    const stored = await rt.db.selectFrom('orders').select(['name', 'total_price_minor', 'note_attributes', 'cart_token']).where('shop', '=', SHOP).where('id', '=', orderId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ name: order.name, note_attributes: [{ name: '_shelfwise_visitor', value: VISITOR }], cart_token: firstCart });
    expect(Number(stored.total_price_minor)).toBe(MUG.priceMinor * 2 + TEAPOT.priceMinor);
    const lines = await rt.db.selectFrom('order_line_items').select(['product_id', 'properties']).where('shop', '=', SHOP).where('order_id', '=', orderId).orderBy('position').execute();
    expect(lines).toEqual([
      { product_id: MUG.id, properties: [{ name: TOKEN_PROPERTY, value: mug!.token }] },
      { product_id: TEAPOT.id, properties: [] },
    ]);
    expect(credits.map((c) => ({ product: c.product_id, source: c.source, token: c.token, placement: c.placement, version: c.model_version, net: Number(c.net_minor) }))).toEqual([
      { product: MUG.id, source: 'property', token: mug!.token, placement: 'related', version: TEA_SHOP_MODEL_VERSION, net: MUG.priceMinor * 2 },
    ]);
  }, 60_000);
});
