import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { testRuntime } from '../support/runtime';
import { sessionToken, TEST_API_KEY, VALID_CAMPAIGN_BODY } from '../app/admin/admin-api-fixtures';
import { insertProducts, insertShop } from '../app/proxy/recommendations/storefront-fixtures';
import { startWebServer } from '../../app';
import { anyText, headerValue, percentEncode, queryString } from './support/arbitraries';
import { cleanAnswerProblems, send, stillHealthy, type HttpAnswer } from './support/fuzz-http';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from './support/fuzz-runs';
import { FuzzTally } from './support/fuzz-tally';
import { hostileValue, mutated } from './support/hostile-values';
import { queuesReady, snapshotStore, storeChanges, type StoreSnapshot } from './support/store-snapshot';

const SHOP = 'fuzz-admin.myshopify.com';
/**
 * Shops the authenticated cases take turns with: the admin API allows 600 calls a minute per
 * shop (ADMIN_API_RATE_LIMIT_PER_MINUTE), and a large FUZZ_RUNS sends more than that.
 */
const SHOPS = [SHOP, ...Array.from({ length: 7 }, (_, i) => `fuzz-admin-${i + 1}.myshopify.com`)];
const OTHER_SHOP = 'fuzz-other.myshopify.com';
/** The admin clock: 28 Nov 2026, 03:00 UTC. */
const T0 = Date.UTC(2026, 10, 28, 3, 0, 0);

/** The one write a refused admin request makes, by design: the rate limits' counters (app/http/rate-limit). */
const SIDE_EFFECTS = { redisKeys: [/(^|:)rl:/] };
const randomAddress = () => `10.${[...randomBytes(3)].join('.')}`;

const VALID_CAMPAIGN = VALID_CAMPAIGN_BODY;
const VALID_SPONSORED_SETTINGS = { relevance_threshold: 0.2, reserve: '0.05', slots_per_block: 1, frequency_cap_per_day: 6 };
const VALID_ATTRIBUTION_SETTINGS = { recommendation_click_days: 7, sponsored_click_days: 14, sponsored_view_days: 1, holdout_share_percent: 5 };

/** A JSON body: a valid one broken in places, any JSON, or text that is not JSON. */
const bodyFrom = (valid: unknown): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: mutated(valid).map((v) => JSON.stringify(v) ?? '') },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(valid)) },
    { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? '') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":1}}', 'null', '[]', `{"name":"${'x'.repeat(70_000)}"}`, '{"__proto__":{"admin":true}}') },
  );

/** A path segment for an id: ids that exist, ids of another shop, and anything at all. */
const idSegment = fc.oneof(fc.constantFrom('1', '2', '0', '-1', '99999999999999999999', '1.5', 'abc', '%00', '..', '%2F'), fc.uint8Array({ maxLength: 12 }).map((b) => percentEncode(b)));

jest.setTimeout(FUZZ_TIMEOUT_MS);

describe('fuzz: the admin API, auth and local-session routes over real HTTP (PostgreSQL, Redis)', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: { url: string; close(): Promise<void> };
  let tokens: string[];
  let calls = 0;
  /** A valid session token, of the next shop in turn. */
  const token = () => tokens[calls++ % tokens.length]!;
  const tally = new FuzzTally();

  beforeAll(async () => {
    runtime = await testRuntime({ backend: 'postgres', config: { ADMIN_LOCAL_SESSION: 'true', ADMIN_API_RATE_LIMIT_PER_MINUTE: '1000000' } });
    for (const shop of [...SHOPS, OTHER_SHOP]) {
      await insertShop(runtime.db, shop, 'EUR');
      await insertProducts(runtime.db, shop, [{ id: '101', vendor: 'Acme' }, { id: '102', vendor: 'Acme' }, { id: '201', vendor: 'Potter' }]);
    }
    server = await startWebServer(runtime, { port: 0, now: () => T0, storefrontRedis: runtime.redis });
    await queuesReady(runtime, ['ingest', 'sync']);
    tokens = SHOPS.map((shop) => sessionToken(shop, { claims: { exp: Math.floor(Date.now() / 1000) + 3600 } }));
    // One campaign of the other shop: an id a crafted request may name.
    const res = await call('POST', '/api/campaigns', { token: sessionToken(OTHER_SHOP), body: JSON.stringify(VALID_CAMPAIGN) });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    tally.write();
    await server?.close();
    await runtime?.close();
  });

  function call(method: string, path: string, { token: bearer, body, headers = {} }: { token?: string; body?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
    return send(server.url, {
      method,
      path,
      headers: { 'x-forwarded-for': randomAddress(), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body,
    });
  }

  /** Runs `property` over its cases; a refused answer must have written nothing. */
  async function refusalsWriteNothing<T>(surface: string, arbitrary: fc.Arbitrary<T>, request: (value: T) => Promise<HttpAnswer>, weight: number, allowed: number[]) {
    let before: StoreSnapshot = await snapshotStore(runtime, SIDE_EFFECTS);
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        const res = await request(value);
        const after = await snapshotStore(runtime, SIDE_EFFECTS);
        tally.count(surface, { rejected: res.status >= 400 });
        expect(cleanAnswerProblems(res)).toEqual([]);
        expect([value, res.status, allowed.includes(res.status)]).toEqual([value, res.status, true]);
        if (res.status >= 400) expect(storeChanges(before, after)).toEqual([]);
        before = after;
      }),
      fuzzParameters(weight),
    );
    expect(await stillHealthy(server.url)).toBe(true);
  }

  it('answers every admin API route 401 without a valid session token, whatever else is sent, and writes nothing', async () => {
    const now = Math.floor(T0 / 1000);
    const badToken = fc.oneof(
      fc.constant(undefined),
      headerValue,
      fc.constant(sessionToken(SHOP, { secret: 'not-the-secret' })),
      fc.constant(sessionToken(SHOP, { claims: { exp: now - 3600, nbf: now - 7200, iat: now - 7200 } })),
      fc.constant(sessionToken(SHOP, { claims: { aud: 'another-app' } })),
      fc.constant(sessionToken(SHOP, { claims: { dest: 'https://evil.example' } })),
      fc.constant(sessionToken(SHOP, { claims: { dest: undefined } })),
      fc.constant(`${sessionToken(SHOP).split('.').slice(0, 2).join('.')}.`),
      fc.constant(Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url') + '.' + Buffer.from(JSON.stringify({ dest: `https://${SHOP}`, aud: TEST_API_KEY })).toString('base64url') + '.'),
    );
    const route = fc.constantFrom(
      ['GET', '/api/campaigns'],
      ['POST', '/api/campaigns'],
      ['PATCH', '/api/campaigns/1'],
      ['GET', '/api/products?vendor=Acme'],
      ['PUT', '/api/sponsored/settings'],
      ['PUT', '/api/attribution/settings'],
      ['GET', '/api/reports/overview'],
      ['GET', '/api/reports/statements?vendor=Acme&month=2026-11'],
    );
    await refusalsWriteNothing(
      'admin API: no valid session token',
      fc.tuple(route, badToken, bodyFrom(VALID_CAMPAIGN)),
      ([[method, path], bearer, body]) => call(method, path, { body: method === 'GET' ? undefined : body, headers: bearer === undefined ? {} : { authorization: bearer.includes('.') ? `Bearer ${bearer}` : bearer } }),
      2,
      [401],
    );
  });

  it('answers any campaign create or edit 201/200 or a 4xx, never 5xx, and a refused one writes nothing', async () => {
    const write = fc.oneof(
      bodyFrom(VALID_CAMPAIGN).map((body) => ({ method: 'POST', path: '/api/campaigns', body })),
      fc.tuple(idSegment, bodyFrom(VALID_CAMPAIGN)).map(([id, body]) => ({ method: 'PATCH', path: `/api/campaigns/${id}`, body })),
    );
    await refusalsWriteNothing('admin API: campaign forms', write, (w) => call(w.method, w.path, { token: token(), body: w.body }), 3, [200, 201, 400, 404, 413, 422, 429]);
  });

  it('answers any sponsored or attribution settings form 200 or a 4xx, never 5xx, and a refused one writes nothing', async () => {
    const put = fc.oneof(
      bodyFrom(VALID_SPONSORED_SETTINGS).map((body) => ({ path: '/api/sponsored/settings', body })),
      bodyFrom(VALID_ATTRIBUTION_SETTINGS).map((body) => ({ path: '/api/attribution/settings', body })),
    );
    await refusalsWriteNothing('admin API: settings forms', put, (p) => call('PUT', p.path, { token: token(), body: p.body }), 2, [200, 400, 413, 422, 429]);
  });

  // Found by the property below: PostgreSQL refuses NUL in text and has no year 0, and the
  // statement's query failed with a 500 on either.
  it('refuses a statement for a vendor name holding NUL or a month of year 0 with 422, naming the field', async () => {
    for (const format of ['json', 'csv', 'html']) {
      const nul = await call('GET', `/api/reports/statements?vendor=a%00b&month=2026-11&format=${format}`, { token: token() });
      expect([nul.status, JSON.parse(nul.text)]).toEqual([422, { error: 'invalid_statement', issues: [{ field: 'vendor', message: 'must not contain NUL characters' }] }]);
      const yearZero = await call('GET', `/api/reports/statements?vendor=Acme&month=0000-01&format=${format}`, { token: token() });
      expect([yearZero.status, JSON.parse(yearZero.text)]).toEqual([422, { error: 'invalid_statement', issues: [{ field: 'month', message: 'must be a month of year 0001 or later' }] }]);
    }
  });

  it('answers any query of the read routes 200 or a 4xx, never 5xx, and writes nothing', async () => {
    const value = fc.oneof(anyText, fc.uint8Array({ maxLength: 12 }), fc.constantFrom('2026-11-01', '2026-11-30', '2026-02-30', '1900-01-01', '9999-12-31', 'csv', 'json', 'html', 'Acme', '2026-11', '101,102', '1,2,3,x'));
    const key = fc.oneof(fc.constantFrom('from', 'to', 'format', 'vendor', 'month', 'ids'), anyText);
    // The statement's own parameters most of the time, so hostile vendors meet valid months.
    const statementPairs = fc
      .record({ vendor: fc.oneof(fc.constantFrom('Acme', 'Potter', ' '), anyText), month: fc.oneof(fc.constantFrom('2026-11', '2026-02', '0000-01', '9999-12'), anyText), format: fc.constantFrom('json', 'csv', 'html') })
      .map((p): Array<[string, string | Uint8Array]> => [['vendor', p.vendor], ['month', p.month], ['format', p.format]]);
    const read = fc.tuple(
      fc.constantFrom('/api/campaigns', '/api/products', '/api/sponsored/settings', '/api/attribution/settings', '/api/reports/overview', '/api/reports/placements', '/api/reports/models', '/api/reports/campaigns', '/api/reports/vendors', '/api/reports/statements'),
      fc.option(idSegment, { nil: undefined }),
      fc.oneof(fc.array(fc.tuple(key, value), { maxLength: 4 }), statementPairs),
    );
    await refusalsWriteNothing(
      'admin API: read routes and their queries',
      read,
      ([path, id, pairs]) => call('GET', `${id !== undefined && (path === '/api/campaigns' || path === '/api/reports/campaigns') ? `${path}/${id}` : path}?${queryString(pairs)}`, { token: token() }),
      3,
      [200, 400, 404, 422, 429],
    );
  });

  it('answers any query of the auth, admin page and local-session routes without a 5xx, and a refused one writes nothing', async () => {
    const value = fc.oneof(anyText, fc.uint8Array({ maxLength: 12 }), fc.constantFrom(SHOP, 'FUZZ-ADMIN.myshopify.com', 'evil.com', `${SHOP}.evil.com`, 'https://evil.example', '1', ''));
    const key = fc.oneof(fc.constantFrom('shop', 'host', 'embedded', 'hmac', 'timestamp', 'code', 'state', 'id_token', 'session'), anyText);
    const request = fc.tuple(
      fc.constantFrom(['GET', '/auth'], ['GET', '/auth/callback'], ['GET', '/admin'], ['GET', '/admin/'], ['POST', '/admin/local-session'], ['GET', '/admin/local-session'], ['GET', '/'], ['GET', '/exitiframe']),
      fc.array(fc.tuple(key, value), { maxLength: 5 }),
      headerValue,
    );
    await refusalsWriteNothing(
      'auth, admin page and local-session queries',
      request,
      ([[method, path], pairs, host]) => call(method, `${path}?${queryString(pairs)}`, { headers: { 'x-forwarded-host': host } }),
      2,
      [200, 204, 302, 303, 400, 401, 403, 404, 405, 410, 422, 429],
    );
  });

  // Shopify's library answers a callback's missing or malformed shop with a 500: the guard answers 400 first.
  it('answers /auth/callback with a missing or malformed shop 400, not 500', async () => {
    for (const query of ['shop=', 'shop=evil.com', '']) {
      const res = await call('GET', `/auth/callback?${query}`);
      expect(res.status).toBe(400);
    }
  });
});
