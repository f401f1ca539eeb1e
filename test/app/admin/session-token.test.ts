import type { Router } from 'express';
import { adminApiRouter } from '../../../app/admin';
import type { Shopify } from '../../../app/shopify/app';
import type { Db } from '../../../shared/db';
import type { Logger } from '../../../shared/logger';
import { testRuntime } from '../../support/runtime';
import { insertProducts, insertShop } from '../proxy/recommendations/storefront-fixtures';
import { sessionToken, startAdminApp, TEST_API_KEY } from './admin-api-fixtures';

interface Route {
  method: string;
  path: string;
}

/** Every route of a router, mounted routers included, as Express 5 holds them (no hand-kept list). */
function routesOf(router: Router, base = ''): Route[] {
  const routes: Route[] = [];
  for (const layer of router.stack as Array<{ route?: { path: string; methods: Record<string, boolean> }; rawPath?: string; handle: { stack?: unknown } }>) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) routes.push({ method: method.toUpperCase(), path: base + layer.route.path });
    } else if (layer.handle.stack) {
      routes.push(...routesOf(layer.handle as unknown as Router, base + (layer.rawPath === '/' ? '' : (layer.rawPath ?? ''))));
    }
  }
  return routes;
}

/** The admin API's routes, read from the router the web app mounts. */
const ROUTES = routesOf(adminApiRouter({ shopify: {} as Shopify, db: {} as Db, logger: {} as Logger, now: Date.now }));

const SHOP = 'tokens.myshopify.com';
const nowSeconds = () => Math.floor(Date.now() / 1000);
const withHeader = (alg: string, token: string) => {
  const [, payload, signature] = token.split('.');
  return `${Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url')}.${payload}.${signature}`;
};

/** Each way a session token can be wrong; none may reach a route. `undefined`: no Authorization header. */
const REFUSED: Array<[string, () => string | undefined]> = [
  ['missing token', () => undefined],
  ['empty bearer', () => ''],
  ['bad signature (another secret)', () => sessionToken(SHOP, { secret: 'not-the-app-secret' })],
  ['bad signature (tampered payload)', () => {
    const [header, , signature] = sessionToken(SHOP).split('.');
    const payload = Buffer.from(JSON.stringify({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: TEST_API_KEY, exp: nowSeconds() + 3600, nbf: nowSeconds() - 5 })).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }],
  ['alg none', () => withHeader('none', sessionToken(SHOP)).replace(/\.[^.]*$/, '.')],
  ['alg HS512 header on an HS256 signature', () => withHeader('HS512', sessionToken(SHOP))],
  ['wrong audience', () => sessionToken(SHOP, { claims: { aud: 'another-api-key' } })],
  ['no audience', () => sessionToken(SHOP, { claims: { aud: undefined } })],
  ['expired', () => sessionToken(SHOP, { claims: { exp: nowSeconds() - 60, nbf: nowSeconds() - 120, iat: nowSeconds() - 120 } })],
  ['no expiry', () => sessionToken(SHOP, { claims: { exp: undefined } })],
  ['not yet valid (nbf)', () => sessionToken(SHOP, { claims: { nbf: nowSeconds() + 120 } })],
  ['dest and iss name different shops', () => sessionToken(SHOP, { claims: { iss: 'https://other-shop.myshopify.com/admin' } })],
  ['dest another shop than iss (iss ours)', () => sessionToken(SHOP, { claims: { dest: 'https://other-shop.myshopify.com' } })],
  ['dest not a shop domain', () => sessionToken(SHOP, { claims: { dest: 'https://evil.example.com', iss: 'https://evil.example.com/admin' } })],
  ['dest over plain http', () => sessionToken(SHOP, { claims: { dest: `http://${SHOP}`, iss: `http://${SHOP}/admin` } })],
  ['no dest', () => sessionToken(SHOP, { claims: { dest: undefined } })],
  ['a shop that never installed', () => sessionToken('never-installed.myshopify.com')],
  ['not a JWT', () => 'not-a-jwt'],
];

describe('admin API: session tokens on every route (enumerated from the router)', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let app: Awaited<ReturnType<typeof startAdminApp>>;
  let campaignId: string;
  let before: unknown;

  /** A route's path with its parameters filled in with the shop's own campaign (so a valid token finds data). */
  const pathOf = (route: Route) => `${route.path.replace(':id', campaignId)}${route.path.endsWith('/statements') ? '?vendor=Acme&month=2026-11' : route.path === '/api/products' ? '?vendor=Acme' : ''}`;
  const bodyOf = (route: Route) => (route.method === 'GET' ? undefined : route.path.endsWith('/campaigns') ? { name: 'New', vendor: 'Acme', product_ids: ['101'], max_cpc: '0.45', daily_budget: '10.00', total_budget: '100.00', placements: ['related'] } : { name: 'Renamed', status: 'paused' });
  const stored = async () => ({
    campaigns: await runtime.db.selectFrom('sponsored_campaigns').selectAll().orderBy('id').execute(),
    sponsored: await runtime.db.selectFrom('sponsored_settings').selectAll().execute(),
    attribution: await runtime.db.selectFrom('attribution_settings').selectAll().execute(),
  });

  beforeAll(async () => {
    runtime = await testRuntime();
    app = await startAdminApp(runtime, { now: Date.now() });
    await insertShop(runtime.db, SHOP, 'EUR');
    await insertProducts(runtime.db, SHOP, [{ id: '101', vendor: 'Acme' }, { id: '102', vendor: 'Acme' }]);
    const created = await app.call('POST', '/api/campaigns', { token: sessionToken(SHOP), body: { name: 'Mine', vendor: 'Acme', product_ids: ['101'], max_cpc: '0.45', daily_budget: '10.00', total_budget: '100.00', placements: ['related'] } });
    expect(created.status).toBe(201);
    campaignId = created.body.campaign.id as string;
    before = await stored();
  });
  afterAll(async () => {
    await app.close();
    await runtime.close();
  });

  it('finds the routes: campaigns, products, settings and every report, reads and writes', () => {
    const listed = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(listed).toEqual(expect.arrayContaining(['GET /api/campaigns', 'POST /api/campaigns', 'PATCH /api/campaigns/:id', 'PUT /api/sponsored/settings', 'GET /api/reports/overview', 'GET /api/reports/statements']));
    expect(ROUTES.length).toBeGreaterThanOrEqual(15);
    expect(ROUTES.every((r) => r.path.startsWith('/api/'))).toBe(true);
  });

  it.each(REFUSED)('%s: 401 {error: unauthorized} on every route, no data in the answer, nothing written', async (_what, makeToken) => {
    for (const route of ROUTES) {
      const token = makeToken();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      const body = bodyOf(route);
      const res = await fetch(`${app.url}${pathOf(route)}`, { method: route.method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      expect([route.method, route.path, res.status, text]).toEqual([route.method, route.path, 401, JSON.stringify({ error: 'unauthorized' })]);
      expect(res.headers.get('content-disposition')).toBeNull();
    }
    expect(await stored()).toEqual(before);
  });

  it('other schemes and malformed headers are refused the same way', async () => {
    const valid = sessionToken(SHOP);
    for (const authorization of [`Basic ${Buffer.from('a:b').toString('base64')}`, `bearer ${valid}`, `Bearer  ${valid}`, `Bearer ${valid} extra`, valid]) {
      const res = await fetch(`${app.url}/api/campaigns`, { headers: { authorization } });
      expect([authorization.slice(0, 12), res.status]).toEqual([authorization.slice(0, 12), 401]);
    }
  });

  it('a valid token reaches every read (so the refusals above are about the token)', async () => {
    for (const route of ROUTES.filter((r) => r.method === 'GET')) {
      const res = await fetch(`${app.url}${pathOf(route)}`, { headers: { authorization: `Bearer ${sessionToken(SHOP)}` } });
      // 404 only where the id names nothing of this shop (a campaign id elsewhere than a campaign route).
      expect([route.path, res.status === 200 || (res.status === 404 && !route.path.includes('campaigns'))]).toEqual([route.path, true]);
    }
  });
});
