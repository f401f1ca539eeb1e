import path from 'node:path';
import { startWebServer } from '../../app';
import { customerPseudonym } from '../../shared/crypto';
import { holdoutGroup, setHoldoutShare } from '../../shared/holdout';
import { eventually, testRuntime } from '../support/runtime';
import { appBlock, cardTitles, openShopper, scrollJustAbove, seedStore, TEA_SHOP, TEA_SHOP_LISTS, TEA_SHOP_MODEL_VERSION, TEA_SHOP_PRODUCTS, TEAPOT, type Shopper } from '../support/storefront';
import { startStorefront, type Storefront } from '../../shared/dev/storefront';

const REPO = path.resolve(__dirname, '..', '..');
const SHOP = TEA_SHOP.domain;
const SHARE_BP = 5000;

/**
 * The holdout in a real browser (docs/holdout.md): a consenting shopper's block sends its visitor
 * id; a held-out visitor's block stays hidden, a treatment visitor's shows; the tracking embed puts
 * the visitor id on the cart as `_shelfwise_visitor`; both visitors' exposures are recorded.
 */
describe('the holdout in Chromium', () => {
  let rt: Awaited<ReturnType<typeof testRuntime>>;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let storefront: Storefront;
  const shoppers: Shopper[] = [];

  /** The `nth` (from 0) visitor id of the group, so that each test has its own visitors. */
  const visitorIn = (group: 'holdout' | 'treatment', nth = 0) => {
    for (let i = 0, found = 0; ; i++) {
      const id = `browser${i}visitor`;
      if (holdoutGroup(SHOP, customerPseudonym(rt.config.customerIdKey, SHOP, `visitor:${id}`), SHARE_BP) === group && found++ === nth) return id;
    }
  };
  /** A consenting shopper whose visitor id (as the scripts keep it) is `visitor`. */
  const shopperAs = async (visitor: string) => {
    const shopper = await openShopper({ storefrontUrl: storefront.url, consent: 'granted' });
    shoppers.push(shopper);
    await shopper.context.addInitScript({ content: `localStorage.setItem('shelfwise:visitor', ${JSON.stringify(visitor)})` });
    return shopper;
  };
  /** The cart the shopper's `cart` cookie names, as the store holds it. */
  const cartOf = async (shopper: Shopper) => {
    const cookie = (await shopper.context.cookies(storefront.url)).find((c) => c.name === 'cart');
    return cookie ? storefront.carts.cart(cookie.value) : undefined;
  };
  const requestsTo = (shopper: Shopper, pathname: string) => shopper.requested.filter((u) => new URL(u).pathname === pathname).length;
  const asked = (visitor: string) => storefront.proxied.filter((r) => r.path === '/recommendations' && new URLSearchParams(r.query).get('visitor') === visitor);

  beforeAll(async () => {
    rt = await testRuntime({ backend: 'pglite', config: { STOREFRONT_CACHE_SECONDS: '1' } });
    web = await startWebServer(rt, { port: 0 });
    storefront = await startStorefront({
      extensionDir: path.join(REPO, 'extensions', 'shelfwise'),
      shop: TEA_SHOP,
      products: TEA_SHOP_PRODUCTS,
      app: { proxyUrl: `${web.url}/proxy`, secret: rt.config.shopify.apiSecret },
      layout: { product: ['related-products'], cart: ['cart-upsell'], embeds: ['tracking'] },
    });
    await seedStore({ db: rt.db, redis: rt.redis, prefix: rt.config.queuePrefix, shop: TEA_SHOP, catalog: storefront.catalog, lists: TEA_SHOP_LISTS, modelVersion: TEA_SHOP_MODEL_VERSION });
    await setHoldoutShare(rt.db, SHOP, SHARE_BP);
  }, 120_000);

  afterAll(async () => {
    for (const shopper of shoppers) await shopper.close();
    await storefront?.close();
    await web?.close();
    await rt?.close();
  }, 60_000);

  afterEach(() => {
    expect(storefront.problems).toEqual([]);
    for (const shopper of shoppers) {
      expect(shopper.errors).toEqual([]);
      expect(shopper.blocked).toEqual([]);
    }
  });

  it('shows the block to a treatment visitor and hides it from a held-out one; the cart carries each visitor id', async () => {
    const shown = visitorIn('treatment');
    const held = visitorIn('holdout');

    const treatment = await shopperAs(shown);
    await treatment.page.goto(`${storefront.url}/products/${TEAPOT.handle}`);
    const block = appBlock(treatment.page, 'related-products');
    await scrollJustAbove(treatment.page, block);
    expect((await cardTitles(block)).length).toBeGreaterThan(0);
    expect(asked(shown).map((r) => r.status)).toEqual([200]);

    const holdout = await shopperAs(held);
    await holdout.page.goto(`${storefront.url}/products/${TEAPOT.handle}`);
    const hidden = appBlock(holdout.page, 'related-products');
    await scrollJustAbove(holdout.page, hidden);
    await eventually(async () => (asked(held).length ? true : undefined), 15_000);
    const element = hidden.locator('shelfwise-recommendations');
    await element.waitFor({ state: 'hidden', timeout: 10_000 });
    expect(await element.getAttribute('hidden')).not.toBeNull();
    expect(asked(held).map((r) => r.status)).toEqual([200]);
    expect(await hidden.locator('a[href*="sw_token="]').count()).toBe(0);

    // The tracking embed put each visitor id on its cart, once.
    const carried = await eventually(async () => {
      const ids = storefront.carts.allAttributes().map((a) => a._shelfwise_visitor).filter(Boolean).sort();
      return ids.length >= 2 ? ids : undefined;
    }, 15_000);
    expect(carried).toEqual([held, shown].sort());
    // Reload only once the embed has remembered the tagged cart (it tags before reading the answer).
    await holdout.page.waitForFunction(`(sessionStorage.getItem('shelfwise:cart-visitor') || '').startsWith(${JSON.stringify(`${held} `)})`);
    await holdout.page.reload();
    await holdout.page.waitForLoadState('networkidle');
    // The same cart on a later page: no request at all (the related block never reads the cart).
    expect(requestsTo(holdout, '/cart/update.js')).toBe(1);
    expect(requestsTo(holdout, '/cart.js')).toBe(1);

    // Both visitors' exposures of the day, one each.
    const rows = await eventually(async () => {
      const found = await rt.db.selectFrom('holdout_exposures').select(['grp', 'visitor_key']).where('shop', '=', SHOP).orderBy('grp').execute();
      return found.length >= 2 ? found : undefined;
    });
    expect(rows.map((r) => r.grp)).toEqual(['holdout', 'treatment']);
  }, 90_000);

  it('links the order of a treatment visitor who adds from the cart upsell without opening a product page, and tags each new cart', async () => {
    const visitor = visitorIn('treatment', 1);
    const shopper = await shopperAs(visitor);
    await shopper.page.goto(`${storefront.url}/cart`);
    const upsell = appBlock(shopper.page, 'cart-upsell');
    await upsell.scrollIntoViewIfNeeded();
    const titles = await cardTitles(upsell);
    expect(titles.length).toBeGreaterThan(0);

    // On the cart template the block reloads the page after adding.
    const reloaded = shopper.page.waitForEvent('load');
    await upsell.getByRole('button', { name: /add to cart/i }).first().click();
    await reloaded;
    const first = await eventually(async () => {
      const cart = await cartOf(shopper);
      return cart?.items.length && cart.attributes._shelfwise_visitor ? cart : undefined;
    }, 15_000);
    expect(first.attributes._shelfwise_visitor).toBe(visitor);
    expect(first.items.map((l) => [l.title, typeof l.properties._shelfwise])).toEqual([[titles[0], 'string']]);
    expect(shopper.requested.filter((u) => new URL(u).pathname.startsWith('/products/'))).toEqual([]);
    await shopper.page.waitForLoadState('networkidle');
    // Tagged once; the page the add reloaded did not ask again.
    expect(requestsTo(shopper, '/cart/update.js')).toBe(1);
    expect(requestsTo(shopper, '/cart.js')).toBe(1);

    // After a checkout Shopify gives the browser a new cart (a new `cart` cookie): it is tagged too.
    await shopper.context.clearCookies({ name: 'cart' });
    await shopper.page.goto(`${storefront.url}/cart`);
    const second = await eventually(async () => {
      const cart = await cartOf(shopper);
      return cart && cart.token !== first.token && cart.attributes._shelfwise_visitor ? cart : undefined;
    }, 15_000);
    expect(second.attributes._shelfwise_visitor).toBe(visitor);
    expect(storefront.carts.cart(first.token).attributes._shelfwise_visitor).toBe(visitor);
    // The cart is tagged before the embed has read its answer: leave the page only once the embed
    // has remembered the new cart (else the next page rightly checks the cart once more).
    await shopper.page.waitForFunction(`(sessionStorage.getItem('shelfwise:cart-visitor') || '').includes(${JSON.stringify(second.token)})`);
    await shopper.page.goto(`${storefront.url}/products/${TEAPOT.handle}`);
    await shopper.page.waitForLoadState('networkidle');
    expect(requestsTo(shopper, '/cart/update.js')).toBe(2);
    expect(requestsTo(shopper, '/cart.js')).toBe(2);
  }, 90_000);
});
