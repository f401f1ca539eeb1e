import path from 'node:path';
import { startWebServer } from '../../app';
import { setHoldoutShare } from '../../shared/holdout';
import { TOKEN_PROPERTY } from '../../shared/tracking';
import { startStorefront, type Storefront, type StorefrontProduct } from '../../shared/dev/storefront';
import { startWorkers, type RunningWorkers } from '../../worker';
import { eventually, testRuntime } from '../support/runtime';
import { MUG, seedStore, TEA_SHOP, TEA_SHOP_LISTS, TEA_SHOP_MODEL_VERSION, TEA_SHOP_PRODUCTS, TEAPOT } from '../support/storefront';

const REPO = path.resolve(__dirname, '..', '..');
const SHOP = TEA_SHOP.domain;
const VISITOR = 'visitorCheckout01';
const THANK_YOU = /^\/checkouts\/[0-9a-f]{32}\/thank-you$/;

/** A product whose title and vendor are markup: the theme must print them as text. */
const HOSTILE_TITLE = '<img src=x onerror=alert(1)>Evil & "tea"';
const EVIL_TEA: StorefrontProduct = {
  id: '7100',
  handle: 'evil-tea',
  title: HOSTILE_TITLE,
  vendor: '<script>alert(2)</script>Leaf & Co',
  productType: 'Tea',
  priceMinor: 700,
  variantId: '4100',
  description: '<p>Evil tea.</p>',
};
/** Liquid's `escape` (liquidjs writes quotes as &#34; and &#39;). */
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

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
  const addToCart = (body: unknown) => request('/cart/add.js', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** The cart form's "Check out". */
  const checkOut = () => request('/cart', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'checkout=' });
  return { request, addToCart, checkOut, cookie: (name: string) => cookies.get(name) };
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
      products: [...TEA_SHOP_PRODUCTS, EVIL_TEA],
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
    const res = await shopper.checkOut();
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/cart');
    expect(storefront.orders).toEqual([]);
  });

  it('sends the cart as a signed orders/create: the block-added line keeps its token and is credited, the other is not', async () => {
    const shopper = shopperClient(storefront.url);
    // The shopper lands on the teapot's page from a newsletter: the order's landing_site.
    const landing = `/products/${TEAPOT.handle}?utm_source=newsletter`;
    expect((await shopper.request(landing)).status).toBe(200);
    // What the Related products block asks for on the teapot's page, through the signed app proxy.
    const answer = await shopper.request(`/apps/shelfwise/recommendations?placement=related&product_id=${TEAPOT.id}&limit=4`);
    expect(answer.status).toBe(200);
    const { products } = (await answer.json()) as { products: Array<{ id: string; variant_id: string; token: string }> };
    const mug = products.find((p) => p.id === MUG.id);
    expect(mug).toBeDefined();

    expect((await shopper.addToCart({ id: mug!.variant_id, quantity: 2, properties: { [TOKEN_PROPERTY]: mug!.token } })).status).toBe(200);
    expect((await shopper.addToCart({ id: TEAPOT.variantId, quantity: 1 })).status).toBe(200);
    await shopper.request('/cart/update.js', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ attributes: { _shelfwise_visitor: VISITOR } }) });
    const firstCart = shopper.cookie('cart');

    const cartPage = await (await shopper.request('/cart')).text();
    expect(cartPage).toMatch(/<button[^>]*name="checkout"[^>]*>Check out<\/button>/);

    const checkout = await shopper.checkOut();
    expect(checkout.status).toBe(303);
    expect(checkout.headers.get('location')).toMatch(THANK_YOU);
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
    // Shopify's fields: the order's own token, the checkout's (its thank-you page), where the
    // shopper landed, and timestamps with an offset as Shopify writes them.
    expect(order.checkout_token).toBe(placed!.checkoutId);
    expect(checkout.headers.get('location')).toBe(`/checkouts/${order.checkout_token}/thank-you`);
    expect(order.token).toMatch(/^[0-9a-f]{32}$/);
    expect(order.token).not.toBe(order.checkout_token);
    expect(order.landing_site).toBe(landing);
    expect(order.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect([order.updated_at, order.processed_at]).toEqual([order.created_at, order.created_at]);

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
    const stored = await rt.db
      .selectFrom('orders')
      .select(['name', 'total_price_minor', 'note_attributes', 'cart_token', 'checkout_token', 'landing_site', 'created_at', 'updated_at'])
      .where('shop', '=', SHOP)
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ name: order.name, note_attributes: [{ name: '_shelfwise_visitor', value: VISITOR }], cart_token: firstCart, checkout_token: order.checkout_token, landing_site: landing });
    // The +00:00 timestamps are stored as the instant they name.
    const paidAt = order.created_at.replace('+00:00', '.000Z');
    expect([new Date(stored.created_at).toISOString(), new Date(stored.updated_at).toISOString()]).toEqual([paidAt, paidAt]);
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
  it('a double "Check out" makes one order: both answers lead to the same thank-you page and the same new cart', async () => {
    const shopper = shopperClient(storefront.url);
    expect((await shopper.addToCart({ id: MUG.variantId, quantity: 3 })).status).toBe(200);
    const cartToken = shopper.cookie('cart')!;

    const [first, second] = await Promise.all([shopper.checkOut(), shopper.checkOut()]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(first.headers.get('location')).toMatch(THANK_YOU);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    // Both set the one new cart: whichever answer the browser keeps, it has the same cart.
    expect(first.headers.getSetCookie()).toHaveLength(1);
    expect(second.headers.getSetCookie()).toEqual(first.headers.getSetCookie());
    expect(shopper.cookie('cart')).not.toBe(cartToken);

    // One delivery, and one order in the app's database.
    const placed = storefront.orders.filter((o) => o.order.cart_token === cartToken);
    expect(placed).toHaveLength(1);
    expect(placed[0]!.order.line_items.map((l) => [String(l.product_id), l.quantity])).toEqual([[MUG.id, 3]]);
    await eventually(async () => (await rt.db.selectFrom('orders').select('id').where('shop', '=', SHOP).where('id', '=', String(placed[0]!.order.id)).executeTakeFirst()) ?? undefined, 30_000);
    const stored = await rt.db.selectFrom('orders').select('id').where('shop', '=', SHOP).where('cart_token', '=', cartToken).execute();
    expect(stored).toEqual([{ id: String(placed[0]!.order.id) }]);

    // A third "Check out" with the old cookie (the back button) shows the same page again.
    const again = await fetch(`${storefront.url}/cart`, { method: 'POST', redirect: 'manual', headers: { cookie: `cart=${cartToken}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'checkout=' });
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(storefront.orders.filter((o) => o.order.cart_token === cartToken)).toHaveLength(1);
    const thanks = await (await shopper.request(first.headers.get('location')!)).text();
    expect(thanks).toContain(`Order ${placed[0]!.order.name}`);
  }, 60_000);

  it('lines added while the order is on its way are not ordered: they move to the new cart, and the old cookie leads there', async () => {
    const { carts } = storefront;
    const token = carts.newToken();
    expect(carts.add(token, [{ id: MUG.variantId, quantity: 2, properties: {} }]).ok).toBe(true);
    const ordered = carts.cart(token).items;
    // Added after the order was built: one more mug (same line) and a teapot (a new line).
    expect(carts.add(token, [{ id: MUG.variantId, quantity: 1, properties: {} }, { id: TEAPOT.variantId, quantity: 1, properties: {} }]).ok).toBe(true);
    expect(ordered.map((l) => l.quantity)).toEqual([2]);
    const next = carts.newToken();
    carts.checkedOut(token, ordered, next);
    expect(carts.cart(token).items).toEqual([]);
    expect(carts.cart(next).items.map((l) => [String(l.product_id), l.quantity, l.line_price])).toEqual([
      [MUG.id, 1, MUG.priceMinor],
      [TEAPOT.id, 1, TEAPOT.priceMinor],
    ]);
    // A request still carrying the old cookie gets the new cart, and the cookie is brought up to date.
    const res = await fetch(`${storefront.url}/cart.js`, { headers: { cookie: `cart=${token}` } });
    expect(((await res.json()) as { token: string; item_count: number })).toMatchObject({ token: next, item_count: 2 });
    expect(res.headers.getSetCookie().join()).toContain(`cart=${next}`);
  });

  it('a delivery the app refuses (wrong secret: 401) answers 502, keeps the cart and stores no order', async () => {
    const wrong = await startStorefront({
      extensionDir: path.join(REPO, 'extensions', 'shelfwise'),
      shop: TEA_SHOP,
      products: TEA_SHOP_PRODUCTS,
      app: { proxyUrl: `${web.url}/proxy`, secret: 'not-the-app-secret', webhooksUrl: `${web.url}/webhooks`, apiVersion: rt.config.shopify.apiVersion },
      layout: { product: [], cart: [], embeds: [] },
    });
    try {
      const shopper = shopperClient(wrong.url);
      expect((await shopper.addToCart({ id: TEAPOT.variantId, quantity: 2 })).status).toBe(200);
      const cartToken = shopper.cookie('cart')!;
      const countOrders = async () => Number((await rt.db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).where('shop', '=', SHOP).executeTakeFirstOrThrow()).n);
      const before = await countOrders();

      const res = await shopper.checkOut();
      expect(res.status).toBe(502);
      expect(await res.text()).toContain('HTTP 401');
      expect(wrong.orders).toEqual([]);
      // The cart is kept, under the same cookie.
      expect(res.headers.getSetCookie()).toEqual([]);
      const cart = (await (await shopper.request('/cart.js')).json()) as { token: string; items: Array<{ product_id: number; quantity: number }> };
      expect(cart.token).toBe(cartToken);
      expect(cart.items.map((l) => [String(l.product_id), l.quantity])).toEqual([[TEAPOT.id, 2]]);
      // The app refused the delivery before queueing it: no order, now or later.
      expect(await rt.db.selectFrom('orders').select('id').where('shop', '=', SHOP).where('cart_token', '=', cartToken).execute()).toEqual([]);
      expect(await countOrders()).toBe(before);
    } finally {
      await wrong.close();
    }
  }, 60_000);

  it('prints product text as text: a title and vendor made of markup are escaped on every page', async () => {
    const shopper = shopperClient(storefront.url);
    const page = async (pathAndQuery: string) => {
      const res = await shopper.request(pathAndQuery);
      expect(res.status).toBe(200);
      return res.text();
    };
    const asText = escaped(HOSTILE_TITLE);
    expect(asText).toBe('&lt;img src=x onerror=alert(1)&gt;Evil &amp; &#34;tea&#34;');

    const product = await page(`/products/${EVIL_TEA.handle}`);
    expect(product).toContain(`<title>${asText} &ndash; ${TEA_SHOP.name}</title>`);
    expect(product).toContain(`<h1 class="product__title">${asText}</h1>`);
    expect(product).toContain(`<p class="product__vendor">${escaped(EVIL_TEA.vendor)}</p>`);
    const home = await page('/');
    expect(home).toContain(`<span class="product-card__title">${asText}</span>`);

    expect((await shopper.addToCart({ id: EVIL_TEA.variantId, quantity: 1 })).status).toBe(200);
    const cart = await page('/cart');
    expect(cart).toContain(`>${asText}</a>`);

    const checkout = await shopper.checkOut();
    expect(checkout.headers.get('location')).toMatch(THANK_YOU);
    const thanks = await page(checkout.headers.get('location')!);
    expect(thanks).toContain(`>${asText}</a>`);

    for (const html of [product, home, cart, thanks]) {
      expect(html).not.toContain('<img src=x');
      expect(html).not.toContain('<script>alert(2)');
    }
    expect(storefront.problems).toEqual([]);
  }, 60_000);
});
