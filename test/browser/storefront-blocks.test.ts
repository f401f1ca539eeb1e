import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { recommendationTokenKey, verifyRecommendationToken, type RecommendationToken } from '../../shared/tracking';
import { setHoldoutShare } from '../../shared/holdout';
import { startWebServer } from '../../app';
import { startWorkers, type RunningWorkers } from '../../worker';
import { eventually, testRuntime } from '../support/runtime';
import {
  afterLayout,
  firePagehide,
  imagesSettled,
  scrollJustAbove,
  shelfwiseStorageKeys,
  appBlock,
  cardLinks,
  cardPrices,
  cardTitles,
  cardToken,
  countOf,
  DRAFT_KETTLE,
  MUG,
  openShopper,
  receiptIds,
  seedStore,
  sentEvents,
  storedEvents,
  TEA_SHOP,
  TEA_SHOP_LISTS,
  TEA_SHOP_MODEL_VERSION,
  TEA_SHOP_PRODUCTS,
  TEAPOT,
  tellObserversInReverse,
  type Shopper,
} from '../support/storefront';
import { formatMoney, startStorefront, type Storefront } from '../../shared/dev/storefront';

const REPO = path.resolve(__dirname, '..', '..');
const SCREENSHOT = path.join(REPO, 'test-output', 'storefront-blocks.png');
const SHOP = TEA_SHOP.domain;
const BLOCKS = { related: 'related-products', fbt: 'frequently-bought-together', cart: 'cart-upsell', tracking: 'tracking' };

/**
 * The theme app extension in a real browser against the real app: a local storefront renders the
 * extension's Liquid blocks into a product and a cart page, forwards /apps/shelfwise/* to the web
 * process as Shopify's signed app proxy, and keeps a cart; the worker's events consumer writes
 * what the blocks send to PGlite. Two shoppers: one who granted analytics consent, one on whose
 * page the Customer Privacy API is absent.
 */
describe('storefront blocks in Chromium', () => {
  let rt: Awaited<ReturnType<typeof testRuntime>>;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let workers: RunningWorkers;
  let storefront: Storefront;
  const shoppers: Shopper[] = [];

  const tokenKey = () => recommendationTokenKey(rt.config.tokenEncryptionKey);
  const verify = (raw: string): RecommendationToken => {
    const checked = verifyRecommendationToken(tokenKey(), SHOP, raw, { nowSeconds: Math.floor(Date.now() / 1000), maxAgeSeconds: 3600 });
    if (!checked.ok) throw new Error(`token ${raw} does not verify: ${checked.reason}`);
    return checked.token;
  };
  const title = (id: string) => storefront.catalog.withId(id).title;
  /** A product's price as the theme's `money` filter writes it (the shop's money format: €12,50). */
  const money = (productTitle: string) => formatMoney(storefront.catalog.products.find((p) => p.title === productTitle)!.priceMinor, TEA_SHOP.moneyFormat);
  /** A published list as the storefront may show it: without the given products and the draft. */
  const showable = (list: readonly string[], without: readonly string[]) => list.filter((id) => id !== DRAFT_KETTLE.id && !without.includes(id)).map(title);

  beforeAll(async () => {
    rt = await testRuntime({ backend: 'pglite', config: { STOREFRONT_CACHE_SECONDS: '1' } });
    web = await startWebServer(rt, { port: 0 });
    workers = await startWorkers(rt);
    storefront = await startStorefront({
      extensionDir: path.join(REPO, 'extensions', 'shelfwise'),
      shop: TEA_SHOP,
      products: TEA_SHOP_PRODUCTS,
      app: { proxyUrl: `${web.url}/proxy`, secret: rt.config.shopify.apiSecret },
      layout: { product: [BLOCKS.related, BLOCKS.fbt], cart: [BLOCKS.cart], embeds: [BLOCKS.tracking] },
    });
    await seedStore({ db: rt.db, redis: rt.redis, prefix: rt.config.queuePrefix, shop: TEA_SHOP, catalog: storefront.catalog, lists: TEA_SHOP_LISTS, modelVersion: TEA_SHOP_MODEL_VERSION });
    // No holdout here: the consenting shopper's random visitor id must never hide the blocks
    // (test/browser/holdout-blocks.test.ts covers the holdout).
    await setHoldoutShare(rt.db, SHOP, 0);
  }, 120_000);

  afterAll(async () => {
    for (const shopper of shoppers) await shopper.close();
    await storefront?.close();
    await workers?.close();
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

  describe('a shopper who granted analytics consent', () => {
    let shopper: Shopper;
    let relatedTitles: string[];

    beforeAll(async () => {
      shopper = await openShopper({ storefrontUrl: storefront.url, consent: 'granted' });
      shoppers.push(shopper);
    }, 60_000);

    it('shows the published list below the fold and stores impressions only once the cards were seen for a second', async () => {
      const { page } = shopper;
      await page.goto(`${storefront.url}/products/${TEAPOT.handle}`);
      const related = appBlock(page, BLOCKS.related);
      const top = await related.evaluate((el) => el.getBoundingClientRect().top);
      const viewport = page.viewportSize()!.height;
      expect(top).toBeGreaterThan(viewport + 400);
      // Lazy: nothing asked of the app while the block is far from the viewport.
      await afterLayout(page);
      expect(shopper.requested.filter((u) => u.includes('/apps/shelfwise/recommendations'))).toEqual([]);

      // Near the viewport but not in it: the block loads its cards, nobody has seen them yet.
      await scrollJustAbove(page, related);
      relatedTitles = await cardTitles(related);
      const relatedTop = await related.evaluate((el) => el.getBoundingClientRect().top);
      expect(relatedTop).toBeGreaterThan(viewport);
      // The teapot's own list, best first, without the teapot and the draft.
      expect(relatedTitles).toEqual(showable(TEA_SHOP_LISTS.product[TEAPOT.id]!, [TEAPOT.id]).slice(0, 4));
      // Prices in the shop's money format, as the product page writes its own.
      expect(await page.locator('.product__info .price').innerText()).toBe(money(TEAPOT.title));
      expect(await cardPrices(related)).toEqual(relatedTitles.map(money));

      // The 1 s rule needs a wait to be shown false; then the blocks' pending batch is pushed out
      // (they flush on pagehide), so the negative does not have to sit out the 2 s batching too.
      await page.waitForTimeout(1_500);
      await firePagehide(page);
      await page.waitForTimeout(300);
      expect(sentEvents(storefront.proxied).filter((e) => e.type === 'impression')).toEqual([]);
      expect(await countOf(rt.db, SHOP, 'impression')).toBe(0);

      const seenAt = await related.evaluate((el) => {
        el.scrollIntoView({ block: 'center' });
        return Date.now();
      });
      const rows = await eventually(async () => {
        const impressions = (await storedEvents(rt.db, SHOP)).filter((e) => e.type === 'impression' && e.placement === 'related');
        return impressions.length >= relatedTitles.length ? impressions : undefined;
      }, 20_000);
      expect(rows.map((r) => title(r.product_id)).sort()).toEqual([...relatedTitles].sort());
      for (const row of rows) {
        expect(new Date(row.occurred_at).getTime()).toBeGreaterThanOrEqual(seenAt + 1_000);
        expect(row.model_version).toBe(TEA_SHOP_MODEL_VERSION);
        expect(row.visitor_key).toEqual(expect.any(String));
      }
      expect(new Set(rows.map((r) => r.visitor_key)).size).toBe(1);
      expect(new Set(rows.map((r) => r.impression_id)).size).toBe(1);
      expect(rows.map((r) => r.position).sort()).toEqual(relatedTitles.map((_, i) => i));
      expect(await countOf(rt.db, SHOP, 'impression', 'related')).toBe(relatedTitles.length);
    }, 90_000);

    it('adds to the cart from "Frequently bought together" with a token that names the product, and records add_to_cart', async () => {
      const { page } = shopper;
      const fbt = appBlock(page, BLOCKS.fbt);
      await fbt.scrollIntoViewIfNeeded();
      const fbtTitles = await cardTitles(fbt);
      // Both product-page blocks read the teapot's list; the second one excludes what the first shows.
      expect(fbtTitles).toEqual(showable(TEA_SHOP_LISTS.product[TEAPOT.id]!, [TEAPOT.id]).filter((t) => !relatedTitles.includes(t)).slice(0, 3));

      await imagesSettled(page);
      await mkdir(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      const cart = await page.evaluate(() => fetch('/cart.js').then((r) => r.json() as Promise<{ item_count: number }>));
      expect(cart.item_count).toBe(0);
      await fbt.getByRole('button', { name: /add to cart/i }).first().click();
      const line = await eventually(async () => storefront.carts.allLines().find((l) => l.properties._shelfwise), 15_000);
      const token = verify(line.properties._shelfwise!);
      expect(token).toMatchObject({ placement: 'fbt', productId: String(line.product_id), position: 0, modelVersion: TEA_SHOP_MODEL_VERSION, sponsored: false });
      expect(title(token.productId)).toBe(fbtTitles[0]);
      expect(line.quantity).toBe(1);

      const added = await eventually(async () => (await storedEvents(rt.db, SHOP)).find((e) => e.type === 'add_to_cart' && e.token === line.properties._shelfwise), 15_000);
      expect(added).toMatchObject({ placement: 'fbt', product_id: token.productId });
      expect(await countOf(rt.db, SHOP, 'add_to_cart', 'fbt')).toBe(1);
    }, 60_000);

    it('records a click that opens the product with its token, and the product form carries the token into the cart', async () => {
      const { page } = shopper;
      const card = cardLinks(appBlock(page, BLOCKS.related)).nth(1);
      const cardPrice = (await cardPrices(appBlock(page, BLOCKS.related)))[1];
      const expected = verify(await cardToken(card));
      const target = storefront.catalog.withId(expected.productId);
      expect(target.title).toBe(relatedTitles[1]);
      const navigation = page.waitForRequest((r) => r.isNavigationRequest() && new URL(r.url()).pathname === `/products/${target.handle}`);
      await card.click();
      const opened = new URL((await navigation).url());
      const raw = opened.searchParams.get('sw_token')!;
      expect(verify(raw)).toMatchObject({ placement: 'related', productId: target.id, position: 1 });
      await page.waitForLoadState('load');
      // The card and the product page write the price the same way.
      expect(await page.locator('.product__info .price').innerText()).toBe(cardPrice);

      const click = await eventually(async () => (await storedEvents(rt.db, SHOP)).find((e) => e.type === 'click' && e.token === raw), 15_000);
      expect(click).toMatchObject({ placement: 'related', product_id: target.id, position: 1 });

      // The app embed tags the product form when the token names this product.
      const hidden = page.locator('form[action="/cart/add"] input[name="properties[_shelfwise]"]');
      await hidden.waitFor({ state: 'attached', timeout: 10_000 });
      expect(await hidden.inputValue()).toBe(raw);
      const addsSent = () => sentEvents(storefront.proxied).filter((e) => e.type === 'add_to_cart' && e.token === raw);

      // An add the cart refuses sends nothing: the form is then submitted the plain way, and
      // Shopify's /cart/add answers with its error page.
      await page.evaluate(`(() => {
        const form = document.querySelector('form[action="/cart/add"]');
        form.noValidate = true;
        form.elements.quantity.value = '0';
      })()`);
      await page.locator('form[action="/cart/add"] button[type="submit"]').click();
      await page.waitForURL(`${storefront.url}/cart/add`);
      expect(await page.locator('body').innerText()).toMatch(/positive integer/);
      // The refused add.js and /cart/add answers are Chromium's console errors, caused on purpose here.
      shopper.errors.splice(0, shopper.errors.length, ...shopper.errors.filter((e) => !/status of 422/.test(e)));
      await page.waitForTimeout(500);
      expect(addsSent()).toEqual([]);
      expect(storefront.carts.allLines().filter((l) => String(l.product_id) === target.id)).toEqual([]);

      // Back on the product page (the token kept for this product), an add that succeeds is sent
      // once, and the shopper lands on the cart as after a plain form post.
      await page.goto(`${storefront.url}/products/${target.handle}`);
      await hidden.waitFor({ state: 'attached', timeout: 10_000 });
      await page.locator('form[action="/cart/add"] button[type="submit"]').click();
      await page.waitForURL(`${storefront.url}/cart`);
      const line = storefront.carts.allLines().find((l) => String(l.product_id) === target.id);
      expect(line?.properties).toEqual({ _shelfwise: raw });
      const added = await eventually(async () => (await storedEvents(rt.db, SHOP)).find((e) => e.type === 'add_to_cart' && e.token === raw), 15_000);
      expect(added).toMatchObject({ placement: 'related', product_id: target.id });
      expect(addsSent()).toEqual([expect.objectContaining({ variant_id: target.variantId, quantity: 1, status: 200 })]);

      // A theme that adds to the cart itself (it prevents the submit and posts add.js, as Dawn's
      // <product-form> does) keeps its form; add_to_cart goes once the cart shows the added quantity,
      // and not for an add the cart refused.
      const themeAdds = (quantity: string) => page.evaluate(`(() => {
        const form = document.querySelector('form[action="/cart/add"]');
        form.noValidate = true;
        form.elements.quantity.value = '${quantity}';
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          fetch('/cart/add.js', { method: 'POST', body: new FormData(form) });
        });
      })()`);
      await page.goto(`${storefront.url}/products/${target.handle}`);
      await hidden.waitFor({ state: 'attached', timeout: 10_000 });
      await themeAdds('0');
      await page.locator('form[action="/cart/add"] button[type="submit"]').click();
      await page.waitForTimeout(4_500);
      shopper.errors.splice(0, shopper.errors.length, ...shopper.errors.filter((e) => !/status of 422/.test(e)));
      expect(page.url()).toBe(`${storefront.url}/products/${target.handle}`);
      expect(addsSent()).toHaveLength(1);

      await page.reload();
      await hidden.waitFor({ state: 'attached', timeout: 10_000 });
      await themeAdds('2');
      await page.locator('form[action="/cart/add"] button[type="submit"]').click();
      const sent = await eventually(async () => (addsSent().length === 2 ? addsSent() : undefined), 10_000);
      expect(sent[1]).toMatchObject({ variant_id: target.variantId, quantity: 2 });
      expect(storefront.carts.allLines().find((l) => String(l.product_id) === target.id)?.quantity).toBe(3);
      expect(page.url()).toBe(`${storefront.url}/products/${target.handle}`);

      // A token for another product is taken out of the address bar but never put on this form.
      await page.goto(`${storefront.url}/products/${TEAPOT.handle}?sw_token=${encodeURIComponent(raw)}`);
      await page.waitForURL(`${storefront.url}/products/${TEAPOT.handle}`);
      expect(await page.locator('input[name="properties[_shelfwise]"]').count()).toBe(0);
    }, 60_000);
  });

  describe('a shopper without the Customer Privacy API on the page', () => {
    let shopper: Shopper;

    beforeAll(async () => {
      shopper = await openShopper({ storefrontUrl: storefront.url, consent: 'absent' });
      shoppers.push(shopper);
    }, 60_000);

    it('has impressions counted and receipted, but no event row and nothing kept in the browser', async () => {
      const { page } = shopper;
      await page.goto(`${storefront.url}/cart.js`);
      await page.evaluate((id) => fetch('/cart/add.js', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: Number(id), quantity: 1 }) }), MUG.variantId);
      const before = sentEvents(storefront.proxied).length;
      const countedBefore = await countOf(rt.db, SHOP, 'impression', 'related');

      await page.goto(`${storefront.url}/products/${TEAPOT.handle}`);
      const related = appBlock(page, BLOCKS.related);
      await scrollJustAbove(page, related);
      const titles = await cardTitles(related);
      await related.scrollIntoViewIfNeeded();
      // The mug is in this cart: not recommended beside it.
      expect(titles).toEqual(showable(TEA_SHOP_LISTS.product[TEAPOT.id]!, [TEAPOT.id, MUG.id]).slice(0, 4));

      const sent = await eventually(async () => {
        const impressions = sentEvents(storefront.proxied)
          .slice(before)
          .filter((e) => e.type === 'impression' && verify(e.token).placement === 'related');
        return impressions.length >= titles.length ? impressions : undefined;
      }, 20_000);
      for (const event of sent) {
        expect(event.analytics).not.toBe(true);
        expect(event.visitorId).toBeUndefined();
        expect(event.status).toBe(200);
      }
      const ids = sent.map((e) => e.id);
      await eventually(async () => {
        const receipts = await receiptIds(rt.db, SHOP);
        return ids.every((id) => receipts.has(id)) ? true : undefined;
      }, 15_000);
      const rows = await storedEvents(rt.db, SHOP);
      expect(rows.filter((r) => ids.includes(r.id))).toEqual([]);
      expect(await countOf(rt.db, SHOP, 'impression', 'related')).toBe(countedBefore + titles.length);
      expect(await shelfwiseStorageKeys(page)).toEqual([]);
    }, 60_000);

    it('shows the cart upsell from the cart products’ lists, without what is in the cart, and adds from it', async () => {
      const { page } = shopper;
      await page.goto(`${storefront.url}/cart`);
      const upsell = appBlock(page, BLOCKS.cart);
      await upsell.scrollIntoViewIfNeeded();
      const titles = await cardTitles(upsell);
      expect(titles).toEqual(showable(TEA_SHOP_LISTS.cart[MUG.id]!, [MUG.id]).slice(0, 4));
      expect(await page.locator('.cart-item').count()).toBe(1);

      // On the cart template the block reloads the page after adding (no theme listener cancels cart:refresh).
      const reloaded = page.waitForEvent('load');
      await upsell.getByRole('button', { name: /add to cart/i }).first().click();
      const line = await eventually(async () => storefront.carts.allLines().find((l) => l.properties._shelfwise && verify(l.properties._shelfwise).placement === 'cart'), 15_000);
      expect(verify(line.properties._shelfwise!)).toMatchObject({ placement: 'cart', position: 0, productId: String(line.product_id) });
      expect(line.title).toBe(titles[0]);
      await reloaded;
      expect(await page.locator('.cart-item').count()).toBe(2);

      // Without consent the add to cart is counted and kept nowhere else.
      await eventually(async () => ((await countOf(rt.db, SHOP, 'add_to_cart', 'cart')) === 1 ? true : undefined), 15_000);
      const impressionId = verify(line.properties._shelfwise!).impressionId;
      expect((await storedEvents(rt.db, SHOP)).filter((e) => e.impression_id === impressionId)).toEqual([]);
    }, 60_000);
  });

  describe('blocks that come near in the same frame', () => {
    let shopper: Shopper;

    beforeAll(async () => {
      shopper = await openShopper({ storefrontUrl: storefront.url, consent: 'absent' });
      shoppers.push(shopper);
    }, 60_000);

    it('load in page order whatever order the observers are told in: the first block gets the top of the list', async () => {
      const { page } = shopper;
      // Observers told last-created first: Frequently bought together (lower on the page) hears first.
      await tellObserversInReverse(page);
      await page.goto(`${storefront.url}/products/${TEAPOT.handle}`);
      const related = appBlock(page, BLOCKS.related);
      const fbt = appBlock(page, BLOCKS.fbt);
      await afterLayout(page);
      // One jump brings both blocks near: Related product in view, Frequently bought together just below.
      await scrollJustAbove(page, fbt);
      const [relatedTitles, fbtTitles] = await Promise.all([cardTitles(related), cardTitles(fbt)]);
      const list = showable(TEA_SHOP_LISTS.product[TEAPOT.id]!, [TEAPOT.id]);
      expect(relatedTitles).toEqual(list.slice(0, 4));
      expect(fbtTitles).toEqual(list.slice(4, 7));

      // Related asked first and excluded nothing; Frequently bought together excluded what Related shows.
      const asked = shopper.requested.filter((u) => u.includes('/apps/shelfwise/recommendations')).map((u) => new URL(u).searchParams);
      expect(asked.map((q) => q.get('placement'))).toEqual(['related', 'fbt']);
      expect(asked[0]!.get('exclude')).toBeNull();
      expect(asked[1]!.get('exclude')!.split(',').map(title)).toEqual(relatedTitles);
    }, 60_000);
  });
});
