import { signProxyQuery } from '../../../shared/shopify';
import { TEST_SECRET } from '../../support/config';
import { testRuntime } from '../../support/runtime';
import { sessionToken } from '../admin/admin-api-fixtures';
import { insertShop } from '../proxy/recommendations/storefront-fixtures';
import { capturingLogger, startLimitedServer } from './support/web-server';

const SHOP = 'headers.myshopify.com';

function proxyUrl(base: string, path: string, params: [string, string][] = []): string {
  const query = signProxyQuery([['shop', SHOP], ['logged_in_customer_id', ''], ['path_prefix', '/apps/shelfwise'], ...params], TEST_SECRET, Math.floor(Date.now() / 1000));
  return `${base}/proxy/${path}?${query}`;
}

/** Anything that reads like a stack trace, a source path or a driver's message. */
const INTERNALS = /\bat .+\(|\.ts:\d+|node_modules|Error:|ECONNREFUSED|pglite|postgres|kysely|relation |syntax/i;

let runtime: Awaited<ReturnType<typeof testRuntime>>;
beforeAll(async () => {
  runtime = await testRuntime({ backend: 'postgres' });
  await insertShop(runtime.db, SHOP, 'EUR');
});
afterAll(() => runtime.close());

describe('security headers on every response', () => {
  let server: Awaited<ReturnType<typeof startLimitedServer>>;

  beforeAll(async () => {
    server = await startLimitedServer(runtime);
  });
  afterAll(() => server.close());

  const express: Array<[string, () => Promise<Response>]> = [
    ['GET /healthz', () => fetch(`${server.url}/healthz`)],
    ['a forged webhook', () => fetch(`${server.url}/webhooks`, { method: 'POST', body: '{}', headers: { 'x-shopify-hmac-sha256': 'AAAA' } })],
    ['GET /auth', () => fetch(`${server.url}/auth?shop=${SHOP}`, { redirect: 'manual' })],
    ['GET /auth/callback (not from Shopify)', () => fetch(`${server.url}/auth/callback?shop=${SHOP}&code=x`, { redirect: 'manual' })],
    ['the admin API without a token', () => fetch(`${server.url}/api/campaigns`)],
    ['the admin API with a token', () => fetch(`${server.url}/api/campaigns`, { headers: { authorization: `Bearer ${sessionToken(SHOP)}` } })],
    ['an admin asset', () => fetch(`${server.url}/admin/assets/app.js`)],
    ['an unknown path', () => fetch(`${server.url}/wp-login.php`)],
  ];

  it.each(express)('%s: nosniff, HSTS, referrer policy, and a CSP that loads nothing and is never framed', async (_what, call) => {
    const res = await call();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it.each([
    ['embedded', `/?shop=${SHOP}&host=${Buffer.from(`admin.shopify.com/store/headers`).toString('base64url')}`],
    ['standalone', `/admin?shop=${SHOP}`],
  ])('the admin page (%s) keeps its own CSP: framed by the shop and the Shopify admin only', async (_what, path) => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain(`frame-ancestors https://${SHOP} https://admin.shopify.com`);
    expect(csp).not.toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    ['a signed read', () => fetch(proxyUrl(server.url, 'recommendations', [['placement', 'related'], ['product_id', '1']]))],
    ['an unsigned read', () => fetch(`${server.url}/proxy/recommendations?shop=${SHOP}`)],
    ['an unknown proxy path', () => fetch(proxyUrl(server.url, 'nope'))],
  ])('app proxy, %s: nosniff and no-store', async (_what, call) => {
    const res = await call();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('no stack traces or internal messages in any response', () => {
  it("auth: the library's own refusals become JSON codes, their message only in the log", async () => {
    const { logger, lines } = capturingLogger();
    const server = await startLimitedServer(runtime, { logger });
    try {
      // Without a shop, or embedded without a host, the library would answer 500 with text.
      for (const path of ['/auth', '/auth?shop=not%20a%20shop', `/auth?shop=${SHOP}&embedded=1`]) {
        const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
        expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 400, expect.stringContaining('application/json')]);
        expect(((await res.json()) as { error: string }).error).toBe('bad_request');
      }
      // A callback from a bot: the library sends 410 with its message as text.
      const bot = await fetch(`${server.url}/auth/callback?shop=${SHOP}&code=abc&state=x&hmac=00&timestamp=1`, { redirect: 'manual', headers: { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' } });
      expect(bot.status).toBe(410);
      expect(await bot.text()).toBe(JSON.stringify({ error: 'gone' }));
      expect(lines().find((line) => line.msg === 'library refusal')).toMatchObject({ status: 410, message: expect.stringMatching(/bot/i) });
    } finally {
      await server.close();
    }
  });

  it('the database closed under the web process: every route answers generic JSON; the log has the cause', async () => {
    // A runtime of its own (embedded PGlite): its database is closed for good here.
    const closing = await testRuntime();
    await insertShop(closing.db, SHOP, 'EUR');
    const { logger, lines } = capturingLogger();
    const server = await startLimitedServer(closing, { logger });
    try {
      await closing.db.destroy();
      const answers: Array<[string, Response]> = [
        ['admin API', await fetch(`${server.url}/api/campaigns`, { headers: { authorization: `Bearer ${sessionToken(SHOP)}` } })],
        ['admin report', await fetch(`${server.url}/api/reports/overview`, { headers: { authorization: `Bearer ${sessionToken(SHOP)}` } })],
        ['admin page', await fetch(`${server.url}/admin?shop=${SHOP}`)],
        ['storefront read', await fetch(proxyUrl(server.url, 'recommendations', [['placement', 'related'], ['product_id', '1']]))],
      ];
      for (const [what, res] of answers) {
        const text = await res.text();
        expect([what, res.status, text]).toEqual([what, 500, JSON.stringify({ error: 'internal_error' })]);
        expect(text).not.toMatch(INTERNALS);
      }
      const errors = lines().filter((line) => line.level === 50);
      expect(errors.length).toBeGreaterThanOrEqual(answers.length);
      // The log keeps what the client was not told: the error and its stack.
      expect(errors.every((line) => typeof (line.err as { stack?: string } | undefined)?.stack === 'string')).toBe(true);
    } finally {
      await server.close();
      await closing.close().catch(() => undefined);
    }
  });
});
