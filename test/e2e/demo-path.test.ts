import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { DEV_SHOP } from '../../shared/cli/commands/replay';
import { DEV_LAYOUT } from '../../shared/dev/storefront';
import { readServingList } from '../../shared/serving';
import { recommendationTokenKey, verifyRecommendationToken, type RecommendationToken } from '../../shared/tracking';
import { deleteKeys } from '../support/runtime';
import { appBlock, cardLinks, cardToken, imagesSettled, openShopper, scrollToY, type Shopper } from '../support/storefront';
import { openAdmin, shownKpi, shownMinor, type AdminBrowser } from './support/admin-browser';
import { demoUrls, startDemo, type DemoProcess } from './support/demo-process';

const REPO = path.resolve(__dirname, '..', '..');
const SHOTS = path.join(REPO, 'test-output');
/** Simulated shoppers: the demo's sponsored campaigns and some report numbers before ours. */
const SHOPPERS = '50';

/**
 * Issue 8's path, end to end, as a newcomer takes it: the real `shelfwise demo` (bin, child
 * process, PGlite, the real Redis) loads a slice of the dataset, trains and publishes a model,
 * runs shoppers and serves; in Chromium the printed storefront page shows the blocks with the
 * published model's products, a shopper clicks one, adds it and checks out; the printed admin shows
 * the attributed revenue grown by exactly that line; Ctrl-C stops the demo cleanly.
 */
describe('the demo path: data in → model trained → block rendered → click → order → attributed revenue in the report', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-e2e-'));
  let demo: DemoProcess | undefined;
  let shopper: Shopper | undefined;
  let admin: AdminBrowser | undefined;
  const redis = new Redis('redis://127.0.0.1:6379');
  const queuePrefix = () => (JSON.parse(fs.readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8')) as { QUEUE_PREFIX: string }).QUEUE_PREFIX;

  afterAll(async () => {
    await shopper?.close();
    await admin?.close();
    demo?.kill();
    if (fs.existsSync(path.join(dataDir, 'dev-secrets.json'))) await deleteKeys(redis, `${queuePrefix()}:*`);
    await redis.quit();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('runs the whole path on a slice and stops cleanly on Ctrl-C', async () => {
    // `--fast`, as the README offers it: every 40th customer of the committed dataset's whole year
    // (about 11,000 rows), enough returning customers for a trained blend that is published.
    // No training after the shoppers' orders while the test looks at the published lists.
    demo = startDemo(['--fast', '--no-progress', '--shoppers', SHOPPERS], { SHELFWISE_DATA_DIR: dataDir, TRAIN_MIN_NEW_ORDERS: '1000000' });
    await demo.waitFor(/Ctrl-C to stop/, 300_000);
    const out = demo.out.stdout;

    // Data in, model trained and published, with its metrics.
    expect(out).toMatch(/failed ingest jobs: 0/);
    expect(out).toMatch(/deliveries: (\d+) sent, \1 accepted, 0 duplicates, 0 failed/);
    const version = /^training run for [^:]+: published version (\d+)$/m.exec(out)?.[1];
    expect(version).toBeDefined();
    expect(out).toMatch(new RegExp(`^version ${version} \\(published, blend\\)`, 'm'));
    expect(out).toMatch(/^protocol fbt-30d\nmodel .*ndcg@10[^\n]*\nblend +\d+ +[\d.]+/m);
    const urls = demoUrls(out);

    // The serving version in Redis is the one just published; its list for the page's product.
    const prefix = queuePrefix();
    const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8')) as { TOKEN_ENCRYPTION_KEY: string };
    const tokenKey = recommendationTokenKey(Buffer.from(secrets.TOKEN_ENCRYPTION_KEY, 'hex'));
    const verify = (raw: string): RecommendationToken => {
      const checked = verifyRecommendationToken(tokenKey, DEV_SHOP, raw, { nowSeconds: Math.floor(Date.now() / 1000), maxAgeSeconds: 3600 });
      if (!checked.ok) throw new Error(`token ${raw} does not verify: ${checked.reason}`);
      return checked.token;
    };

    // The admin's attributed revenue before our order (the shoppers' orders are in it already).
    admin = await openAdmin(urls.admin);
    await admin.page.goto(urls.admin);
    const before = shownMinor(await shownKpi(admin.page, 'attributedRevenueMinor'));

    // The storefront's product page, every block placed: each shows cards, in page order.
    shopper = await openShopper({ storefrontUrl: urls.product, consent: 'absent' });
    const { page } = shopper;
    // The app proxy's answers, as the blocks received them: which list each placement came from.
    const answers: Array<{ placement: string; source: string; model_version: string | null; products: unknown[] }> = [];
    page.on('response', (response) => {
      if (!response.url().includes('/apps/shelfwise/recommendations?')) return;
      response.json().then((answer) => answers.push(answer), () => undefined);
    });
    const sponsoredAnswer = page.waitForResponse((r) => r.url().includes('/apps/shelfwise/sponsored?'), { timeout: 30_000 });
    await page.goto(urls.product);
    const productId = (await page.locator('form.shopify-product-form').getAttribute('id'))!.replace('product_form_', '');
    const published = await readServingList({ redis, prefix, shop: DEV_SHOP, placement: 'product', key: productId });
    expect(published).toMatchObject({ version, source: 'list' });
    const listed: readonly string[] = published.items;
    const shown: Record<string, RecommendationToken[]> = {};
    for (const handle of DEV_LAYOUT.product) {
      const block = appBlock(page, handle);
      await block.scrollIntoViewIfNeeded();
      if (handle === 'sponsored-products') {
        // Shown when the auction finds a relevant promoted product (pacing and frequency caps may
        // leave it empty, and the block hidden): its cards are the answer's, whatever it was.
        const answer = (await (await sponsoredAnswer).json()) as { products: unknown[] };
        if (answer.products.length) await cardLinks(block).first().waitFor({ state: 'visible', timeout: 20_000 });
        expect(await cardLinks(block).count()).toBe(answer.products.length);
      } else {
        await cardLinks(block).first().waitFor({ state: 'visible', timeout: 20_000 });
      }
      shown[handle] = await Promise.all((await cardLinks(block).all()).map(async (link) => verify(await cardToken(link))));
    }
    // Related products and Frequently bought together: the published list's products, from that version.
    for (const handle of ['related-products', 'frequently-bought-together']) {
      const organic = shown[handle]!.filter((t) => !t.sponsored);
      // One slot of each may be sponsored (the blocks ask for one by default).
      expect(organic.length).toBeGreaterThanOrEqual(2);
      expect(organic.map((t) => t.modelVersion)).toEqual(organic.map(() => version));
      expect(organic.filter((t) => !listed.includes(t.productId))).toEqual([]);
    }
    // Tokens name the serving version even on its fallbacks: the answers say which list they read.
    // The product page's blocks came from the model's list for this product; "Recommended for you",
    // for a shopper with no history (no consent, no visitor id), from the version's trending list.
    const sourceOf = (placement: string) => [...new Set(answers.filter((a) => a.placement === placement).map((a) => `${a.source}@${a.model_version}`))];
    expect(sourceOf('related')).toEqual([`list@${version}`]);
    expect(sourceOf('fbt')).toEqual([`list@${version}`]);
    expect(sourceOf('for_you')).toEqual([`trending@${version}`]);
    expect(shown['recommended-for-you']!.length).toBeGreaterThan(0);
    expect(shown['recommended-for-you']!.every((t) => t.modelVersion === version)).toBe(true);
    expect(shown['sponsored-products']!.every((t) => t.sponsored && t.placement === 'sponsored')).toBe(true);
    await scrollToY(page, 0);
    await imagesSettled(page);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'demo-storefront.png'), fullPage: true });

    // Click the first Frequently bought together product, add it from its page, check out.
    const fbt = appBlock(page, 'frequently-bought-together');
    const clicked = shown['frequently-bought-together']!.find((t) => !t.sponsored)!;
    await fbt.locator(`a[href*="sw_token="]`).nth(shown['frequently-bought-together']!.indexOf(clicked)).click();
    await page.waitForURL((url) => url.pathname.startsWith('/products/') && !url.search.includes('sw_token'));
    expect(await page.locator('form.shopify-product-form').getAttribute('id')).toBe(`product_form_${clicked.productId}`);
    await page.locator('.product-form__submit').click();
    await page.waitForURL((url) => url.pathname === '/cart');
    expect(await page.locator('.cart-item').count()).toBe(1);
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/thank-you'));
    const lineText = await page.locator('.order-line span').last().innerText();
    const lineMinor = shownMinor(lineText);
    expect(lineMinor).toBeGreaterThan(0);
    expect(shopper.errors).toEqual([]);
    expect(shopper.blocked).toEqual([]);

    // The report: attributed revenue grew by exactly that line, once the worker has stored the order.
    let after = before;
    for (const until = Date.now() + 60_000; after === before && Date.now() < until; ) {
      await admin.page.reload();
      after = shownMinor(await shownKpi(admin.page, 'attributedRevenueMinor'));
      if (after === before) await admin.page.waitForTimeout(1_000);
    }
    expect(after - before).toBe(lineMinor);
    await admin.page.screenshot({ path: path.join(SHOTS, 'demo-admin-overview.png'), fullPage: true });
    expect(admin.errors).toEqual([]);

    // Ctrl-C: everything stops, exit 0; the test then removes the run's Redis keys.
    demo.interrupt();
    expect(await demo.exited).toBe(0);
    await expect(fetch(urls.product)).rejects.toThrow();
    await deleteKeys(redis, `${prefix}:*`);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  }, 420_000);
});
