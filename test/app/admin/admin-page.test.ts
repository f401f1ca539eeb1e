import { startWebServer } from '../../../app';
import { BACKENDS } from '../../support/databases';
import { testRuntime } from '../../support/runtime';
import { insertShop } from '../proxy/recommendations/storefront-fixtures';
import { TEST_API_KEY } from './admin-api-fixtures';

const APP_BRIDGE = 'https://cdn.shopify.com/shopifycloud/app-bridge.js';

let shops = 0;

/** The settings the page hands its script, read back from the served HTML. */
function pageSettings(html: string): { shop: string; embedded: boolean; localSessionUrl: string | null } {
  const match = /<script type="application\/json" id="shelfwise-admin-settings">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error('no settings in the page');
  return JSON.parse(match[1]!);
}

describe.each(BACKENDS)('admin page (%s)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let withLocal: Awaited<ReturnType<typeof startWebServer>>;
  let withoutLocal: Awaited<ReturnType<typeof startWebServer>>;
  let SHOP: string;

  const get = (base: string, path: string) => fetch(`${base}${path}`, { redirect: 'manual' });

  beforeAll(async () => {
    runtime = await testRuntime({ backend: backend as 'pglite' | 'postgres' });
    withoutLocal = await startWebServer(runtime, { port: 0, storefrontRedis: runtime.redis });
    withLocal = await startWebServer({ ...runtime, config: { ...runtime.config, admin: { localSession: true } } }, { port: 0, storefrontRedis: runtime.redis });
  });
  afterAll(async () => {
    await withLocal?.close();
    await withoutLocal?.close();
    await runtime?.close();
  });
  beforeEach(async () => {
    SHOP = `page-${backend}-${++shops}.myshopify.com`;
    await insertShop(runtime.db, SHOP, 'EUR');
  });

  it('embedded (Shopify opens the app URL with shop and host): App Bridge first in head with the API key, framed only by the shop and the admin', async () => {
    const res = await get(withLocal.url, `/?shop=${SHOP}&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvdGVzdA&embedded=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors https://${SHOP} https://admin.shopify.com`);
    expect(csp).toContain("script-src 'self' https://cdn.shopify.com");
    const html = await res.text();
    const head = /<head>\s*([\s\S]*?)<\/head>/.exec(html)![1]!;
    expect(head.startsWith(`<meta name="shopify-api-key" content="${TEST_API_KEY}">\n<script src="${APP_BRIDGE}"></script>`)).toBe(true);
    // Embedded pages take App Bridge's tokens even where local sessions are on.
    expect(pageSettings(html)).toEqual({ shop: SHOP, embedded: true, localSessionUrl: null });
  });

  it('also at /admin, embedded when a host is given', async () => {
    const html = await (await get(withoutLocal.url, `/admin?shop=${SHOP}&host=abc`)).text();
    expect(html).toContain(APP_BRIDGE);
    expect(pageSettings(html).embedded).toBe(true);
  });

  it('standalone (no host): no App Bridge and nothing from outside the origin; the local session endpoint when it is on', async () => {
    const res = await get(withLocal.url, `/admin?shop=${SHOP}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('shopify-api-key');
    expect(html).not.toMatch(/https?:\/\//);
    expect(pageSettings(html)).toEqual({ shop: SHOP, embedded: false, localSessionUrl: `/admin/local-session?shop=${SHOP}` });
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors https://${SHOP} https://admin.shopify.com`);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('cdn.shopify.com');
  });

  it('standalone without ADMIN_LOCAL_SESSION: the page has no way to a token (it tells the merchant to open it from Shopify)', async () => {
    const html = await (await get(withoutLocal.url, `/admin?shop=${SHOP}`)).text();
    expect(pageSettings(html)).toEqual({ shop: SHOP, embedded: false, localSessionUrl: null });
  });

  it('a shop without the app installed is sent into OAuth; from inside the iframe through the top window', async () => {
    const fresh = `fresh-${backend}-${++shops}.myshopify.com`;
    const res = await get(withoutLocal.url, `/?shop=${fresh}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/auth?shop=${fresh}`);

    const framed = await get(withoutLocal.url, `/?shop=${fresh}&host=abc&embedded=1`);
    expect(framed.status).toBe(200);
    expect(framed.headers.get('content-security-policy')).toContain(`frame-ancestors https://${fresh} https://admin.shopify.com`);
    const html = await framed.text();
    expect(html).toContain(`<meta name="shopify-api-key" content="${TEST_API_KEY}">`);
    expect(html).toContain(`href="${runtime.config.shopify.appUrl}/auth?shop=${fresh}" target="_top"`);
    expect(html).toContain('/admin/assets/exit-iframe.js');
  });

  it('an uninstalled (inactive) shop is sent into OAuth again', async () => {
    await runtime.db.updateTable('shops').set({ active: false }).where('domain', '=', SHOP).execute();
    const res = await get(withLocal.url, `/admin?shop=${SHOP}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/auth?shop=${SHOP}`);
  });

  it('no page without a valid shop: / stays a 404, /admin says what is missing', async () => {
    expect((await get(withoutLocal.url, '/')).status).toBe(404);
    expect((await get(withoutLocal.url, '/?shop=evil.example.com')).status).toBe(404);
    expect((await get(withoutLocal.url, '/admin')).status).toBe(400);
    expect((await get(withoutLocal.url, '/admin?shop=evil.example.com%2F')).status).toBe(400);
  });

  it('serves the page script and every module it imports, and nothing outside the assets folder', async () => {
    const seen = new Set<string>();
    const queue = ['/admin/assets/app.js', '/admin/assets/admin.css', '/admin/assets/exit-iframe.js'];
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await get(withoutLocal.url, path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      const text = await res.text();
      if (!path.endsWith('.js')) continue;
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      for (const [, spec] of text.matchAll(/^import [^;]*? from '([^']+)';$/gm)) queue.push(new URL(spec!, `http://x${path}`).pathname);
    }
    expect(seen.size).toBeGreaterThan(10);
    expect((await get(withoutLocal.url, '/admin/assets/../admin-page.ts')).status).toBe(404);
    expect((await get(withoutLocal.url, '/admin/assets/%2e%2e/admin-page.ts')).status).toBe(404);
    expect((await get(withoutLocal.url, '/admin/assets/nothing.js')).status).toBe(404);
  });
});
