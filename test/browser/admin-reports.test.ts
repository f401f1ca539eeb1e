import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startWebServer } from '../../app';
import { mintSessionToken } from '../../app/admin';
import { recordInstall } from '../../app/auth';
import { loadThroughWebhooks } from '../../shared/cli/load-through-webhooks';
import { waitForIngestDrained } from '../../shared/cli/ingest-drain';
import { runShopperSessions, waitForStorefrontEventsStored } from '../../shared/dev/shopper-sessions';
import { startWorkers, type RunningWorkers } from '../../worker';
import { loadAttributionWindows } from '../../worker/attribution';
import { runTraining } from '../../worker/train';
import { readHoldoutShare } from '../../shared/holdout';
import { testRuntime } from '../support/runtime';
import { CHROMIUM } from '../support/storefront/shopper-browser';

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(REPO, 'test', 'fixtures', 'online-retail-ii-first-5000.csv.gz');
const SHOTS = path.join(REPO, 'test-output');
const SHOP = 'admin-browser.myshopify.com';
const CURRENCY = 'GBP';
/** The browser's locale; the page formats with the browser's, the test with the same one. */
const LOCALE = 'en-GB';
const VISITORS = 300;
const SEED = 6_2026;

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// The page's formatting (app/admin/ui/assets/format.js), written again here on Node's ICU.
const money = (minor: number | null) => (minor === null ? '—' : new Intl.NumberFormat(LOCALE, { style: 'currency', currency: CURRENCY }).format(minor / 100));
const percent = (ratio: number | null) => (ratio === null ? '—' : new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ratio));
const count = (n: number | null) => (n === null ? '—' : new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 }).format(n));
const roas = (ratio: number | null) => (ratio === null ? '—' : `${ratio.toFixed(1)}×`);

/**
 * The admin in a real browser, standalone on the local session, against a store loaded the way the
 * demo loads it: the first 5,000 rows of Online Retail II through signed webhooks, a trained model,
 * then simulated shoppers (shared/dev/shopper-sessions) seeing blocks, clicking sponsored and
 * organic products and buying, so that every report has numbers of its own.
 */
describe('admin reports in Chromium (standalone, local session)', () => {
  let rt: Awaited<ReturnType<typeof testRuntime>>;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let workers: RunningWorkers;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const requested: string[] = [];
  const blocked: string[] = [];
  const errors: string[] = [];

  /** A report's JSON as the API answers it, with a token from the same local session endpoint. */
  const api = async (pathAndQuery: string) => {
    const session = await fetch(`${web.url}/admin/local-session?shop=${SHOP}`, { method: 'POST' });
    const { token } = (await session.json()) as { token: string };
    const res = await fetch(`${web.url}${pathAndQuery}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (await res.json()) as any;
  };
  const kpiText = (scope: string, key: string) => page.locator(`${scope} [data-kpi="${key}"] .sw-kpi__value`).innerText();

  beforeAll(async () => {
    rt = await testRuntime({ backend: 'pglite', config: { ADMIN_LOCAL_SESSION: 'true', STOREFRONT_CACHE_SECONDS: '1' } });
    web = await startWebServer(rt, { port: 0 });
    workers = await startWorkers(rt);
    await recordInstall(rt.db, { shop: SHOP, scope: rt.config.shopify.scopes.join(','), currency: CURRENCY, at: new Date() });
    const loaded = await loadThroughWebhooks({ runtime: rt, webUrl: web.url, csv: FIXTURE, shop: SHOP });
    expect(loaded.failedJobs).toEqual([]);
    await runTraining({ db: rt.db, redis: rt.redis, prefix: rt.config.queuePrefix, shop: SHOP, logger: rt.logger });
    const sessions = await runShopperSessions({ baseUrl: web.url, shop: SHOP, apiSecret: rt.config.shopify.apiSecret, apiVersion: rt.config.shopify.apiVersion, db: rt.db, visitors: VISITORS, seed: SEED });
    expect(sessions.ok).toBe(true);
    expect(await waitForIngestDrained({ redis: rt.redis, queuePrefix: rt.config.queuePrefix, timeoutMs: 120_000 })).toEqual([]);
    await waitForStorefrontEventsStored({ redis: rt.redis, queuePrefix: rt.config.queuePrefix, timeoutMs: 120_000 });

    await mkdir(SHOTS, { recursive: true });
    profile = await mkdtemp(path.join(os.tmpdir(), 'shelfwise-admin-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1360, height: 900 }, locale: LOCALE, acceptDownloads: true });
    const origin = new URL(web.url).origin;
    context.on('request', (request) => requested.push(request.url()));
    // Anything but the app's own origin is refused and remembered: standalone needs no one else.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    context.on('weberror', (error) => errors.push(`page error: ${error.error().message}`));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => (m.type() === 'error' ? errors.push(`console: ${m.text()}`) : undefined));
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    await workers?.close();
    await web?.close();
    await rt?.close();
  }, 60_000);

  it('overview: the KPIs shown are the report API’s figures, which are not zero; the chart has every day; the series exports as CSV', async () => {
    const report = await api('/api/reports/overview');
    const t = report.totals;
    expect(report.currency).toBe(CURRENCY);
    for (const key of ['storeOrders', 'storeRevenueMinor', 'attributedOrders', 'attributedRevenueMinor', 'impressions', 'clicks']) expect({ key, value: t[key] > 0 }).toEqual({ key, value: true });

    await page.goto(`${web.url}/admin?shop=${SHOP}#/overview`);
    await page.locator('[data-kpi="attributedRevenueMinor"]').waitFor();
    const expected: Record<string, string> = {
      attributedRevenueMinor: money(t.attributedRevenueMinor),
      attributedShare: percent(t.attributedShare),
      storeRevenueMinor: money(t.storeRevenueMinor),
      attributedOrders: count(t.attributedOrders),
      storeOrders: count(t.storeOrders),
      recommendationRevenueMinor: money(t.recommendationRevenueMinor),
      sponsoredRevenueMinor: money(t.sponsoredRevenueMinor),
      aovWithRecommendationMinor: money(t.aovWithRecommendationMinor),
      aovWithoutRecommendationMinor: money(t.aovWithoutRecommendationMinor),
      impressions: count(t.impressions),
      clicks: count(t.clicks),
      ctr: percent(t.ctr),
      clickToOrder: percent(t.clickToOrder),
    };
    const shown: Record<string, string> = {};
    for (const key of Object.keys(expected)) shown[key] = await kpiText('[data-testid="kpis"]', key);
    expect(shown).toEqual(expected);

    // Two lines (store and attributed revenue), one point per day of the range.
    const points = await page.locator('[data-testid="overview-chart"] polyline').evaluateAll((lines) => lines.map((l) => l.getAttribute('points')!.split(' ').length));
    expect(points).toEqual([report.series.length, report.series.length]);
    await expect(page.locator('[data-testid="lift"]').innerText()).resolves.toContain(report.lift.status === 'ok' ? 'Incremental revenue per visitor' : report.lift.message);
    await page.screenshot({ path: path.join(SHOTS, 'admin-overview.png'), fullPage: true });

    // The 7-day preset ends on the server's today and shows that range's figures.
    await page.getByRole('button', { name: '7 days' }).click();
    await page.locator('[data-preset="7"][aria-pressed="true"]').waitFor();
    const to = report.range.to as string;
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    const week = await api(`/api/reports/overview?from=${from}&to=${to}`);
    await expect(kpiText('[data-testid="kpis"]', 'storeRevenueMinor')).resolves.toBe(money(week.totals.storeRevenueMinor));
    await expect(page.locator('#sw-range-from').inputValue()).resolves.toBe(from);
    await page.getByRole('button', { name: '30 days' }).click();
    await page.locator('[data-preset="30"][aria-pressed="true"]').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export overview as CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`overview-${report.range.from}-${report.range.to}.csv`);
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/);
    expect(csv).toHaveLength(report.series.length + 1);
  }, 120_000);

  it('a campaign report: reached from the campaigns table, its figures are the API’s', async () => {
    const list = await api('/api/reports/campaigns');
    expect(list.rows.length).toBeGreaterThan(0);
    // The busiest campaign: the one the shoppers clicked most.
    const row = [...list.rows].sort((a, b) => b.clicks - a.clicks || b.impressions - a.impressions)[0];
    expect(row.impressions).toBeGreaterThan(0);
    expect(row.clicks).toBeGreaterThan(0);

    await page.goto(`${web.url}/admin?shop=${SHOP}#/sponsored`);
    const link = page.locator('[data-testid="campaigns-report"] a', { hasText: row.name });
    await link.first().click();
    await page.locator('[data-testid="campaign-kpis"]').waitFor();
    expect(page.url()).toContain(`#/sponsored/${row.campaignId}`);

    const report = await api(`/api/reports/campaigns/${row.campaignId}`);
    const c = report.campaign;
    expect(c).toEqual(row);
    const expected: Record<string, string> = {
      impressions: count(c.impressions),
      clicks: count(c.clicks),
      chargedClicks: count(c.chargedClicks),
      spendMinor: money(c.spendMinor),
      attributedOrders: count(c.attributedOrders),
      attributedSalesMinor: money(c.attributedSalesMinor),
      roas: roas(c.roas),
      acos: percent(c.acos),
    };
    const shown: Record<string, string> = {};
    for (const key of Object.keys(expected)) shown[key] = await kpiText('[data-testid="campaign-kpis"]', key);
    expect(shown).toEqual(expected);
    await expect(kpiText('[data-testid="campaign-kpis"]', 'budgetBurn')).resolves.toContain(percent(c.budgetBurn));

    // The per-day table: one row per day; its clicks add up to the campaign's.
    const clicksByDay = await page.locator('[data-testid="campaign-series"] tbody td[data-key="clicks"]').allInnerTexts();
    expect(clicksByDay).toEqual(report.series.map((d: { clicks: number }) => count(d.clicks)));
    const spendByDay = await page.locator('[data-testid="campaign-series"] tbody td[data-key="spendMinor"]').allInnerTexts();
    expect(spendByDay).toEqual(report.series.map((d: { spendMinor: number }) => money(d.spendMinor)));
    // The days add up to the campaign's figures (the series and the row come from the same rollups).
    const sum = (key: string) => report.series.reduce((total: number, d: Record<string, number>) => total + d[key]!, 0);
    expect({ clicks: sum('clicks'), impressions: sum('impressions'), spendMinor: sum('spendMinor'), attributedSalesMinor: sum('attributedSalesMinor') }).toEqual({
      clicks: c.clicks,
      impressions: c.impressions,
      spendMinor: c.spendMinor,
      attributedSalesMinor: c.attributedSalesMinor,
    });
    expect(c.spendMinor).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'admin-campaign.png'), fullPage: true });
  }, 120_000);

  it.each([
    ['placements', 'placements', '/api/reports/placements'],
    ['models', 'models', '/api/reports/models'],
    ['vendors', 'vendors', '/api/reports/vendors'],
    ['sponsored', 'campaigns-report', '/api/reports/campaigns'],
  ])('the %s page shows a row per report row and exports its table as CSV', async (route, testid, apiPath) => {
    const report = await api(apiPath);
    expect(report.rows.length).toBeGreaterThan(0);
    await page.goto(`${web.url}/admin?shop=${SHOP}#/${route}`);
    const table = page.locator(`[data-testid="${testid}"]`);
    await table.locator('tbody tr').first().waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(report.rows.length);
    const [download] = await Promise.all([page.waitForEvent('download'), table.getByRole('button', { name: /^Export .* as CSV$/ }).click()]);
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${apiPath.split('/').pop()}-${report.range.from}-${report.range.to}\\.csv$`));
    expect(csv).toHaveLength(report.rows.length + 1);
    await page.screenshot({ path: path.join(SHOTS, `admin-${route}.png`), fullPage: true });
  }, 60_000);

  it('a vendor statement of this month: its charges and sales, the CSV and the printable page', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const { rows } = await api('/api/reports/vendors');
    const vendor = [...rows].sort((a, b) => b.chargedClicks - a.chargedClicks)[0].vendor as string;
    const statement = await api(`/api/reports/statements?vendor=${encodeURIComponent(vendor)}&month=${month}`);
    expect(statement.charges.length).toBeGreaterThan(0);

    await page.goto(`${web.url}/admin?shop=${SHOP}#/statements`);
    await page.locator('[data-testid="statement-picker"]').waitFor();
    await page.getByLabel('Vendor').selectOption(vendor);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('[data-testid="statement-charges"] caption', { hasText: `${vendor}'s campaigns` }).waitFor();
    await expect(page.locator('[data-testid="statement-charges"] tbody tr').count()).resolves.toBe(statement.charges.length);
    await expect(page.locator('[data-testid="statement-sales"] tbody tr').count()).resolves.toBe(statement.sales.length);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const lines = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/);
    expect(lines).toHaveLength(1 + statement.charges.length + statement.sales.length);

    const [printable] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Printable statement' }).click()]);
    await printable.waitForURL(/^blob:/);
    await expect(printable.locator('body').innerText()).resolves.toContain(vendor);
    await printable.close();
    await page.screenshot({ path: path.join(SHOTS, 'admin-statement.png'), fullPage: true });
  }, 60_000);

  it('creates a campaign through the form (a refused field shown next to it first) and pauses it', async () => {
    const vendorRow = await rt.db
      .selectFrom('products')
      .select(['id', 'vendor', 'title'])
      .where('shop', '=', SHOP)
      .where('vendor', 'is not', null)
      .where('vendor', '!=', '')
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await page.goto(`${web.url}/admin?shop=${SHOP}#/campaigns/new`);
    const form = page.locator('[data-testid="campaign-form"]');
    await form.waitFor();
    await page.getByLabel('Name').fill('Browser test campaign');
    await page.getByLabel('Vendor').fill(vendorRow.vendor!);
    await page.getByLabel('Product ids').fill(`${vendorRow.id}, 999999999999`);
    await page.getByLabel('Product ids').blur();
    // The ids typed are named from the catalog (an unknown one says so).
    await page.locator(`[data-testid="product-titles"] [data-product="${vendorRow.id}"]`).waitFor();
    await expect(page.locator('[data-testid="product-titles"] li').allInnerTexts()).resolves.toEqual([`${vendorRow.id} — ${vendorRow.title} (${vendorRow.vendor})`, '999999999999 — not in the catalog']);
    await page.getByLabel('Product ids').fill(vendorRow.id);
    await page.getByLabel(/Max cost per click/).fill('0.30');
    await page.getByLabel(/Daily budget/).fill('0.10');
    await page.getByLabel(/Total budget/).fill('50.00');
    await page.getByLabel('Status').selectOption('active');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    // A daily budget below the bid: the API's 422 issue is shown on that field.
    const dailyError = page.locator('[data-field="daily_budget"] .sw-field__error');
    await dailyError.filter({ hasText: /./ }).waitFor();
    expect(await page.getByLabel(/Daily budget/).getAttribute('aria-invalid')).toBe('true');
    expect(await rt.db.selectFrom('sponsored_campaigns').select('id').where('shop', '=', SHOP).where('name', '=', 'Browser test campaign').execute()).toEqual([]);

    await page.getByLabel(/Daily budget/).fill('5.00');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.locator('[data-testid="campaign-list"]').waitFor();
    const created = await rt.db.selectFrom('sponsored_campaigns').selectAll().where('shop', '=', SHOP).where('name', '=', 'Browser test campaign').executeTakeFirstOrThrow();
    expect({ status: created.status, vendor: created.vendor, maxCpc: Number(created.max_cpc_minor), daily: Number(created.daily_budget_minor), total: Number(created.total_budget_minor) }).toEqual({
      status: 'active',
      vendor: vendorRow.vendor,
      maxCpc: 30,
      daily: 500,
      total: 5000,
    });

    await page.locator(`[data-testid="pause-${created.id}"]`).click();
    await page.locator(`[data-testid="resume-${created.id}"]`).waitFor();
    const paused = await rt.db.selectFrom('sponsored_campaigns').select('status').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(paused.status).toBe('paused');
  }, 120_000);

  it('settings: the holdout share and a window saved through the form are what attribution and the storefront read', async () => {
    await page.goto(`${web.url}/admin?shop=${SHOP}#/settings`);
    const form = page.locator('[data-testid="attribution-settings"]');
    await form.waitFor();
    expect(await page.getByLabel('Recommendation click window (days)').inputValue()).toBe(String((await loadAttributionWindows(rt.db, SHOP)).recommendationClickSeconds / 86_400));
    await page.getByLabel('Holdout (% of consenting visitors)').fill('60');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-field="holdout_share_percent"] .sw-field__error').filter({ hasText: /./ }).waitFor();
    const before = await readHoldoutShare(rt.db, SHOP);
    await page.getByLabel('Holdout (% of consenting visitors)').fill('7.5');
    await page.getByLabel('Recommendation click window (days)').fill('10');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved.').waitFor();
    expect(before).not.toBe(6000);
    expect({ after: await readHoldoutShare(rt.db, SHOP), windows: await loadAttributionWindows(rt.db, SHOP) }).toMatchObject({ after: 750, windows: { recommendationClickSeconds: 10 * 86_400 } });
    await page.screenshot({ path: path.join(SHOTS, 'admin-settings.png'), fullPage: true });
  }, 60_000);

  it('no request left the machine, and the page logged no error', () => {
    expect(requested.length).toBeGreaterThan(10);
    const hosts = new Set(requested.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:')).map((u) => new URL(u).hostname));
    expect([...hosts].filter((h) => h !== '127.0.0.1' && h !== 'localhost')).toEqual([]);
    expect(blocked).toEqual([]);
    // Chromium logs every 4xx answer; the two 422s are the refused forms above, which the page showed.
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
    expect(errors.filter((e) => /status of 422/.test(e))).toHaveLength(2);
  });

  it('embedded: the page takes its tokens from App Bridge (a stand-in served for its CDN script) and never asks for a local session', async () => {
    const { token } = mintSessionToken({ shop: SHOP, apiKey: rt.config.shopify.apiKey, apiSecret: rt.config.shopify.apiSecret, nowMs: Date.now() });
    // What App Bridge gives the page: a global `shopify` whose idToken() answers a session token.
    const standIn = `window.__idTokenCalls = 0; window.shopify = { idToken: async () => { window.__idTokenCalls++; return ${JSON.stringify(token)}; } };`;
    const embedded = await context.newPage();
    await embedded.route('https://cdn.shopify.com/shopifycloud/app-bridge.js', (route) => route.fulfill({ contentType: 'text/javascript', body: standIn }));
    const sent: Array<{ url: string; authorization: string | undefined }> = [];
    embedded.on('request', (r) => sent.push({ url: r.url(), authorization: r.headers().authorization }));
    await embedded.goto(`${web.url}/?shop=${SHOP}&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvdGVzdA&embedded=1#/overview`);
    await embedded.locator('[data-kpi="storeOrders"]').waitFor();
    const report = await api('/api/reports/overview');
    await expect(embedded.locator('[data-testid="kpis"] [data-kpi="storeOrders"] .sw-kpi__value').innerText()).resolves.toBe(count(report.totals.storeOrders));
    const apiCalls = sent.filter((r) => new URL(r.url).pathname.startsWith('/api/'));
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(apiCalls.every((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    expect(await embedded.evaluate(() => (globalThis as unknown as { __idTokenCalls: number }).__idTokenCalls)).toBe(apiCalls.length);
    expect(sent.filter((r) => r.url.includes('/admin/local-session'))).toEqual([]);
    await embedded.close();
  }, 60_000);
});
