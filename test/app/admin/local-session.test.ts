import { request } from 'node:http';
import os from 'node:os';
import type { Request } from 'express';
import { startWebServer } from '../../../app';
import { isLoopbackRequest, mintSessionToken } from '../../../app/admin';
import { BACKENDS } from '../../support/databases';
import { testConfig, TEST_SECRET } from '../../support/config';
import { testRuntime } from '../../support/runtime';
import { insertShop } from '../proxy/recommendations/storefront-fixtures';
import { TEST_API_KEY } from './admin-api-fixtures';

/** A request with any headers (fetch may not set Host), to any address of the server. */
function post(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> | null }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end();
  });
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

/** An IPv4 address of this machine that is not loopback, if it has one. */
const externalAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

let shops = 0;

describe('ADMIN_LOCAL_SESSION setting', () => {
  it('is off by default, reads true/false/1/0, and is refused in production with a clear message', () => {
    expect(testConfig().admin.localSession).toBe(false);
    expect(testConfig({ ADMIN_LOCAL_SESSION: 'true' }).admin.localSession).toBe(true);
    expect(testConfig({ ADMIN_LOCAL_SESSION: '1' }).admin.localSession).toBe(true);
    expect(testConfig({ ADMIN_LOCAL_SESSION: '0' }).admin.localSession).toBe(false);
    expect(() => testConfig({ ADMIN_LOCAL_SESSION: 'yes' })).toThrow(/ADMIN_LOCAL_SESSION must be true or false/);
    expect(() => testConfig({ NODE_ENV: 'production', ADMIN_LOCAL_SESSION: 'true' })).toThrow(/ADMIN_LOCAL_SESSION is for the demo and tests only/);
    expect(testConfig({ NODE_ENV: 'production', ADMIN_LOCAL_SESSION: 'false' }).admin.localSession).toBe(false);
  });
});

describe('isLoopbackRequest', () => {
  const req = (remoteAddress: string, headers: Record<string, string> = { host: '127.0.0.1:3000' }) => ({ socket: { remoteAddress }, headers }) as unknown as Request;
  it.each([
    ['127.0.0.1', { host: '127.0.0.1:3000' }, true],
    ['::1', { host: 'localhost:3000' }, true],
    ['::ffff:127.0.0.1', { host: '[::1]:3000' }, true],
    ['10.0.0.5', { host: '127.0.0.1:3000', 'x-forwarded-for': '127.0.0.1' }, false],
    ['10.0.0.5', { host: '127.0.0.1:3000' }, false],
    ['::ffff:10.0.0.5', { host: 'localhost' }, false],
    // A tunnel or proxy on this machine relays others: forwarded requests are never "local".
    ['127.0.0.1', { host: '127.0.0.1:3000', 'x-forwarded-for': '203.0.113.9' }, false],
    ['127.0.0.1', { host: '127.0.0.1:3000', forwarded: 'for=203.0.113.9' }, false],
    // DNS rebinding: a page of another site resolved to 127.0.0.1 names its own host.
    ['127.0.0.1', { host: 'evil.example:3000' }, false],
    ['127.0.0.1', {}, false],
  ])('%s with %j → %s', (address, headers, expected) => {
    expect(isLoopbackRequest(req(address, headers))).toBe(expected);
  });
});

describe.each(BACKENDS)('POST /admin/local-session (%s)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let on: Awaited<ReturnType<typeof startWebServer>>;
  let off: Awaited<ReturnType<typeof startWebServer>>;
  let SHOP: string;

  const campaigns = (base: string, token: string) => fetch(`${base}/api/campaigns`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    // Listening on every interface, so a client can also come from a non-loopback address.
    runtime = await testRuntime({ backend: backend as 'pglite' | 'postgres', config: { HOST: '0.0.0.0', ADMIN_LOCAL_SESSION: 'true' } });
    on = await startWebServer(runtime, { port: 0, storefrontRedis: runtime.redis });
    off = await startWebServer({ ...runtime, config: { ...runtime.config, admin: { localSession: false } } }, { port: 0, storefrontRedis: runtime.redis });
  });
  afterAll(async () => {
    await on?.close();
    await off?.close();
    await runtime?.close();
  });
  beforeEach(async () => {
    SHOP = `local-${backend}-${++shops}.myshopify.com`;
    await insertShop(runtime.db, SHOP, 'EUR');
  });

  const loopback = (server: { url: string }) => server.url.replace('0.0.0.0', '127.0.0.1');

  it('does not exist when the setting is off (404)', async () => {
    expect((await post(`${loopback(off)}/admin/local-session?shop=${SHOP}`)).status).toBe(404);
  });

  it("mints a token with Shopify's claims that the admin API accepts for that shop only", async () => {
    const before = Math.floor(Date.now() / 1000);
    const answer = await post(`${loopback(on)}/admin/local-session?shop=${SHOP}`);
    expect(answer.status).toBe(200);
    const token = answer.body!.token as string;
    const claims = claimsOf(token);
    expect(claims).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: TEST_API_KEY });
    for (const claim of ['sub', 'jti', 'sid']) expect(typeof claims[claim]).toBe('string');
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.nbf).toBe(claims.iat);
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(60);
    expect(answer.body!.expiresAt).toBe((claims.exp as number) * 1000);

    const res = await campaigns(loopback(on), token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ campaigns: [] });
    // The same path verifies it as an App Bridge token: another app's secret would not do.
    const forged = mintSessionToken({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: 'not-the-secret', nowMs: Date.now() });
    expect((await campaigns(loopback(on), forged.token)).status).toBe(401);
    expect(mintSessionToken({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: TEST_SECRET, nowMs: Date.now() }).token.split('.')).toHaveLength(3);
  });

  it('expires: a token minted two minutes ago is refused (its one-minute life plus the 10 s leeway are over)', async () => {
    const stale = mintSessionToken({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: TEST_SECRET, nowMs: Date.now() - 120_000 });
    expect((await campaigns(loopback(on), stale.token)).status).toBe(401);
    const fresh = mintSessionToken({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: TEST_SECRET, nowMs: Date.now() });
    expect((await campaigns(loopback(on), fresh.token)).status).toBe(200);
  });

  it('only for a shop with an active install', async () => {
    expect((await post(`${loopback(on)}/admin/local-session?shop=never-installed.myshopify.com`)).status).toBe(404);
    expect((await post(`${loopback(on)}/admin/local-session?shop=not%20a%20shop`)).status).toBe(404);
    expect((await post(`${loopback(on)}/admin/local-session`)).status).toBe(404);
    await runtime.db.updateTable('shops').set({ active: false }).where('domain', '=', SHOP).execute();
    expect((await post(`${loopback(on)}/admin/local-session?shop=${SHOP}`)).status).toBe(404);
  });

  it('refuses forwarded requests and foreign Host names even from loopback', async () => {
    const url = `${loopback(on)}/admin/local-session?shop=${SHOP}`;
    expect((await post(url, { 'x-forwarded-for': '127.0.0.1' })).status).toBe(403);
    expect((await post(url, { host: 'rebound.example' })).status).toBe(403);
  });

  (externalAddress ? it : it.skip)(`refuses a client on another address (${externalAddress ?? 'none here'}), a spoofed X-Forwarded-For included`, async () => {
    const port = new URL(on.url).port;
    const url = `http://${externalAddress}:${port}/admin/local-session?shop=${SHOP}`;
    expect((await post(url, { host: `127.0.0.1:${port}` })).status).toBe(403);
    expect((await post(url, { host: `127.0.0.1:${port}`, 'x-forwarded-for': '127.0.0.1' })).status).toBe(403);
    // The same server answers the loopback client, so the refusal is about the address.
    expect((await post(`${loopback(on)}/admin/local-session?shop=${SHOP}`)).status).toBe(200);
  });
});
