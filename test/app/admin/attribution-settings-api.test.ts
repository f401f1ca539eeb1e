import fc from 'fast-check';
import { parseAttributionSettings } from '../../../shared/attribution-settings';
import { readHoldoutShare } from '../../../shared/holdout';
import { reportRules } from '../../../shared/reports';
import { loadAttributionWindows } from '../../../worker/attribution';
import { BACKENDS } from '../../support/databases';
import { testRuntime } from '../../support/runtime';
import { insertShop } from '../proxy/recommendations/storefront-fixtures';
import { sessionToken, startAdminApp } from './admin-api-fixtures';

const VALID = { recommendation_click_days: 3, sponsored_click_days: 30, sponsored_view_days: 0, holdout_share_percent: 12.5 };
let shops = 0;

describe.each(BACKENDS)('admin API: attribution settings (%s)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let app: Awaited<ReturnType<typeof startAdminApp>>;
  let shop: string;
  let token: string;

  beforeAll(async () => {
    runtime = await testRuntime({ backend: backend as 'pglite' | 'postgres' });
    app = await startAdminApp(runtime, { now: Date.now() });
  });
  afterAll(async () => {
    await app.close();
    await runtime.close();
  });
  beforeEach(async () => {
    shop = `attribution-settings-${backend}-${++shops}.myshopify.com`;
    await insertShop(runtime.db, shop, 'EUR');
    token = sessionToken(shop);
  });

  it('answers the defaults of a shop that set nothing: 7, 14 and 1 days, 5 % held out', async () => {
    const answer = await app.call('GET', '/api/attribution/settings', { token });
    expect(answer).toMatchObject({ status: 200, body: { settings: { recommendation_click_days: 7, sponsored_click_days: 14, sponsored_view_days: 1, holdout_share_percent: 5, updated_at: null } } });
  });

  it('stores what the merchant sets where attribution, the storefront holdout and the reports read it', async () => {
    const put = await app.call('PUT', '/api/attribution/settings', { token, body: VALID });
    expect(put).toMatchObject({ status: 200, body: { settings: VALID } });
    expect((await app.call('GET', '/api/attribution/settings', { token })).body.settings).toMatchObject(VALID);
    expect(await loadAttributionWindows(runtime.db, shop)).toEqual({ recommendationClickSeconds: 3 * 86_400, sponsoredClickSeconds: 30 * 86_400, sponsoredViewSeconds: 0 });
    expect(await readHoldoutShare(runtime.db, shop)).toBe(1250);
    expect((await reportRules(runtime.db, shop)).text).toContain('within 3 days');
  });

  it('refuses bad values, each named, and changes nothing', async () => {
    await app.call('PUT', '/api/attribution/settings', { token, body: VALID });
    const bad = { recommendation_click_days: 0, sponsored_click_days: 91, sponsored_view_days: 1.5, holdout_share_percent: 50.001, colour: 'red' };
    const answer = await app.call('PUT', '/api/attribution/settings', { token, body: bad });
    expect(answer.status).toBe(422);
    const fields = (answer.body.issues as Array<{ field: string }>).map((i) => i.field).sort();
    expect(fields).toEqual(['body', 'holdout_share_percent', 'recommendation_click_days', 'sponsored_click_days', 'sponsored_view_days']);
    expect((await app.call('PUT', '/api/attribution/settings', { token, body: { ...VALID, holdout_share_percent: undefined } })).status).toBe(422);
    expect((await app.call('GET', '/api/attribution/settings', { token })).body.settings).toMatchObject(VALID);
  });

  it('reads and writes only the shop of the token, and nothing without one', async () => {
    const other = `attribution-settings-other-${backend}-${shops}.myshopify.com`;
    await insertShop(runtime.db, other, 'EUR');
    await app.call('PUT', '/api/attribution/settings', { token: sessionToken(other), body: VALID });
    expect((await app.call('GET', '/api/attribution/settings', { token })).body.settings.holdout_share_percent).toBe(5);
    expect((await app.call('PUT', '/api/attribution/settings', { body: VALID })).status).toBe(401);
    expect((await app.call('GET', '/api/attribution/settings', { token: sessionToken(shop, { secret: 'not-the-app-secret' }) })).status).toBe(401);
    expect(await readHoldoutShare(runtime.db, shop)).toBe(500);
  });
});

describe('parseAttributionSettings', () => {
  it('turns any percent with at most two decimals from 0 to 50 into exact basis points', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), (bp) => {
        const parsed = parseAttributionSettings({ ...VALID, holdout_share_percent: bp / 100 });
        expect(parsed).toEqual({ ok: true, value: expect.objectContaining({ holdoutShareBp: bp }) });
      }),
    );
  });
});
