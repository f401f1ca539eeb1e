import { BACKENDS } from '../../support/databases';
import { testRuntime } from '../../support/runtime';
import { insertProducts, insertShop, type ProductSpec } from '../proxy/recommendations/storefront-fixtures';
import { sessionToken, startAdminApp, VALID_CAMPAIGN_BODY } from './admin-api-fixtures';

/** The admin clock: 28 Nov 2026, 03:00 UTC (spend day 2026-11-28). */
const T0 = Date.UTC(2026, 10, 28, 3, 0, 0);
const TODAY = '2026-11-28';

const CATALOG: ProductSpec[] = [
  { id: '101', vendor: 'Acme' },
  { id: '102', vendor: 'Acme' },
  { id: '103', vendor: 'Acme' },
  { id: '201', vendor: 'Potter' },
  { id: '202', vendor: 'Potter' },
  { id: '301', vendor: 'Gone', deleted_at: '2026-02-01T00:00:00Z' },
  { id: '302', vendor: 'Acme', deleted_at: '2026-02-01T00:00:00Z' },
];

/** A valid body for a EUR shop; tests spread their change over it. */
const VALID = VALID_CAMPAIGN_BODY;

let shops = 0;

describe.each(BACKENDS)('admin API: sponsored campaigns and settings (%s)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let app: Awaited<ReturnType<typeof startAdminApp>>;
  const clock = { now: T0 };
  let SHOP: string;
  let token: string;

  const newShop = async (currency = 'EUR', catalog = CATALOG) => {
    const shop = `admin-${backend}-${++shops}.myshopify.com`;
    await insertShop(runtime.db, shop, currency);
    await insertProducts(runtime.db, shop, catalog);
    return shop;
  };
  const campaignRows = async (shop?: string) => {
    let query = runtime.db.selectFrom('sponsored_campaigns').selectAll();
    if (shop) query = query.where('shop', '=', shop);
    return query.execute();
  };
  const productRows = async (shop: string) =>
    runtime.db.selectFrom('sponsored_campaign_products').select(['campaign_id', 'product_id']).where('shop', '=', shop).orderBy('product_id').execute();
  const create = async (body: Record<string, unknown> = VALID, t = token) => app.call('POST', '/api/campaigns', { token: t, body });
  const patch = async (id: string, body: unknown, t = token) => app.call('PATCH', `/api/campaigns/${id}`, { token: t, body });

  beforeAll(async () => {
    runtime = await testRuntime({ backend: backend as 'pglite' | 'postgres' });
    app = await startAdminApp(runtime, clock);
  });
  afterAll(async () => {
    await app.close();
    await runtime.close();
  });
  beforeEach(async () => {
    clock.now = T0;
    SHOP = await newShop();
    token = sessionToken(SHOP);
  });

  describe('authentication', () => {
    const refused = [
      ['no token', () => undefined],
      ['a token signed with another secret', () => sessionToken(SHOP, { secret: 'not-the-app-secret' })],
      ['a token for another app (audience)', () => sessionToken(SHOP, { claims: { aud: 'another-api-key' } })],
      ['an expired token', () => sessionToken(SHOP, { claims: { exp: Math.floor(Date.now() / 1000) - 60, nbf: Math.floor(Date.now() / 1000) - 120 } })],
      ['a token not valid yet (nbf)', () => sessionToken(SHOP, { claims: { nbf: Math.floor(Date.now() / 1000) + 60 } })],
      ['a token without exp', () => sessionToken(SHOP, { claims: { exp: undefined } })],
      ['a token whose iss names another shop than dest', () => sessionToken(SHOP, { claims: { iss: 'https://other-shop.myshopify.com/admin' } })],
      ['a token whose dest is not a shop domain', () => sessionToken(SHOP, { claims: { dest: 'https://evil.example.com', iss: 'https://evil.example.com/admin' } })],
      ['a token for a shop that never installed', () => sessionToken('never-installed.myshopify.com')],
      ['a token with alg none', () => {
        const [, payload] = sessionToken(SHOP).split('.');
        return `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
      }],
    ] as const;

    it.each(refused)('%s: 401 on every route and nothing written', async (_what, makeToken) => {
      const t = makeToken();
      for (const [method, path, body] of [
        ['GET', '/api/campaigns', undefined],
        ['POST', '/api/campaigns', VALID],
        ['GET', '/api/campaigns/1', undefined],
        ['PATCH', '/api/campaigns/1', { status: 'paused' }],
        ['GET', '/api/sponsored/settings', undefined],
        ['PUT', '/api/sponsored/settings', { relevance_threshold: 0.5, reserve: '0.10', slots_per_block: 2, frequency_cap_per_day: 3 }],
      ] as const) {
        const res = await app.call(method, path, { token: t, body });
        expect([method, path, res.status, res.body]).toEqual([method, path, 401, { error: 'unauthorized' }]);
      }
      expect(await campaignRows(SHOP)).toEqual([]);
      expect(await runtime.db.selectFrom('sponsored_settings').selectAll().where('shop', '=', SHOP).execute()).toEqual([]);
    });

    it('a shop that uninstalled is refused, and answered again once reinstalled', async () => {
      expect((await create()).status).toBe(201);
      await runtime.db.updateTable('shops').set({ active: false, uninstalled_at: new Date() }).where('domain', '=', SHOP).execute();
      expect(await app.call('GET', '/api/campaigns', { token })).toEqual({ status: 401, body: { error: 'unauthorized' } });
      expect((await create()).status).toBe(401);
      expect(await campaignRows(SHOP)).toHaveLength(1);
      await runtime.db.updateTable('shops').set({ active: true }).where('domain', '=', SHOP).execute();
      expect((await app.call('GET', '/api/campaigns', { token })).body.campaigns).toHaveLength(1);
    });

    it("shop A neither reads nor changes shop B's campaign (404), whatever the query says", async () => {
      const other = await newShop();
      const otherToken = sessionToken(other);
      const theirs = await create(VALID, otherToken);
      expect(theirs.status).toBe(201);
      const id = theirs.body.campaign.id as string;

      expect(await app.call('GET', `/api/campaigns/${id}`, { token })).toEqual({ status: 404, body: { error: 'not_found' } });
      expect(await patch(id, { status: 'ended' })).toEqual({ status: 404, body: { error: 'not_found' } });
      expect(await patch(id, { name: 'Mine now' })).toEqual({ status: 404, body: { error: 'not_found' } });
      expect((await app.call('GET', `/api/campaigns?shop=${other}`, { token })).body).toEqual({ campaigns: [] });
      expect((await app.call('GET', `/api/campaigns/${id}?shop=${other}`, { token })).status).toBe(404);
      // A shop in the body is an unknown field, never a way to write elsewhere.
      const sneaky = await create({ ...VALID, shop: other });
      expect(sneaky.status).toBe(422);
      expect(sneaky.body.issues).toEqual([{ field: 'shop', message: 'shop is not a field of this resource' }]);

      const [row] = await campaignRows(other);
      expect(row).toMatchObject({ name: 'Acme winter', status: 'draft' });
      expect(await campaignRows(SHOP)).toEqual([]);
      // B still sees its own.
      expect((await app.call('GET', `/api/campaigns/${id}`, { token: otherToken })).status).toBe(200);
    });

    it('a campaign id that is not a number is simply not found', async () => {
      expect((await app.call('GET', '/api/campaigns/abc', { token })).status).toBe(404);
      expect((await app.call('GET', '/api/campaigns/99999999999999999999999', { token })).status).toBe(404);
      expect((await patch('1;drop', { name: 'x' })).status).toBe(404);
    });
  });

  describe('validation: 422 with the field and the message, nothing written', () => {
    const cases: Array<[string, Record<string, unknown>, Array<{ field: string; message: string }>]> = [
      ['zero bid', { max_cpc: '0' }, [{ field: 'max_cpc', message: 'max_cpc must be more than 0' }]],
      ['negative bid', { max_cpc: '-0.45' }, [{ field: 'max_cpc', message: 'max_cpc must be more than 0' }]],
      ['bid finer than the currency', { max_cpc: '0.455' }, [{ field: 'max_cpc', message: 'max_cpc must have at most 2 decimals in EUR' }]],
      ['bid as a number', { max_cpc: 0.45 }, [{ field: 'max_cpc', message: 'max_cpc must be a decimal string such as "0.45"' }]],
      ['bid not an amount', { max_cpc: '45 cents' }, [{ field: 'max_cpc', message: 'max_cpc must be a decimal string such as "0.45"' }]],
      ['daily budget below the bid', { daily_budget: '0.40' }, [{ field: 'daily_budget', message: 'daily_budget must be at least max_cpc (0.45)' }]],
      ['total budget below the daily budget', { total_budget: '9.99' }, [{ field: 'total_budget', message: 'total_budget must be at least daily_budget (10.00)' }]],
      ['end before start', { ends_at: '2026-11-30T00:00:00Z' }, [{ field: 'ends_at', message: 'ends_at must be after starts_at' }]],
      ['end equal to start', { ends_at: '2026-12-01T00:00:00Z' }, [{ field: 'ends_at', message: 'ends_at must be after starts_at' }]],
      ['a date that is not ISO', { starts_at: 'next monday' }, [{ field: 'starts_at', message: 'starts_at must be an ISO 8601 date and time such as "2026-12-01T00:00:00Z"' }]],
      [
        'products of another vendor, unknown and deleted, each named',
        { product_ids: ['101', '201', '202', '999', '302'] },
        [
          { field: 'product_ids', message: 'product 201 belongs to vendor "Potter", not "Acme"' },
          { field: 'product_ids', message: 'product 202 belongs to vendor "Potter", not "Acme"' },
          { field: 'product_ids', message: "product 999 is not in this shop's catalog" },
          { field: 'product_ids', message: "product 302 was deleted from this shop's catalog" },
        ],
      ],
      ['no products', { product_ids: [] }, [{ field: 'product_ids', message: 'product_ids must list at least one product' }]],
      ['more than 100 products', { product_ids: Array.from({ length: 101 }, (_, i) => String(1000 + i)) }, [{ field: 'product_ids', message: 'product_ids must list at most 100 products' }]],
      ['a product id that is no id', { product_ids: ['101', 'gid://shopify/Product/102'] }, [{ field: 'product_ids', message: 'product_ids must be product ids as strings, such as "7265000000"' }]],
      [
        'a vendor not in the catalog (its products then belong to another)',
        { vendor: 'Nobody' },
        [
          { field: 'vendor', message: `vendor "Nobody" has no products in this shop's catalog` },
          { field: 'product_ids', message: 'product 101 belongs to vendor "Acme", not "Nobody"' },
          { field: 'product_ids', message: 'product 102 belongs to vendor "Acme", not "Nobody"' },
        ],
      ],
      ['a vendor with only deleted products', { vendor: 'Gone', product_ids: ['301'] }, [
        { field: 'vendor', message: `vendor "Gone" has no products in this shop's catalog` },
        { field: 'product_ids', message: "product 301 was deleted from this shop's catalog" },
      ]],
      ['empty placements', { placements: [] }, [{ field: 'placements', message: 'placements must list at least one of related, fbt, for_you, cart, sponsored' }]],
      ['an unknown placement', { placements: ['related', 'homepage'] }, [{ field: 'placements', message: 'placements must be among related, fbt, for_you, cart, sponsored' }]],
      ['unknown fields', { currency: 'USD', spent_total: '0' }, [
        { field: 'currency', message: 'currency is not a field of this resource' },
        { field: 'spent_total', message: 'spent_total is not a field of this resource' },
      ]],
      ['a new campaign cannot start paused', { status: 'paused' }, [{ field: 'status', message: 'a new campaign starts as draft or active' }]],
      ['nor exhausted', { status: 'exhausted' }, [{ field: 'status', message: 'a new campaign starts as draft or active' }]],
      ['an unknown status', { status: 'live' }, [{ field: 'status', message: 'status must be one of draft, active, paused, exhausted, ended' }]],
      ['an empty name', { name: '  ' }, [{ field: 'name', message: 'name must not be empty' }]],
      ['a missing name', { name: undefined }, [{ field: 'name', message: 'name is required' }]],
      ['a NUL in the name (PostgreSQL cannot store it)', { name: 'Spring\u0000push' }, [{ field: 'name', message: 'name must not contain control characters' }]],
      ['a NUL in the vendor', { vendor: 'Ac\u0000me', advertiser: 'Acme' }, [{ field: 'vendor', message: 'vendor must not contain control characters' }]],
      [
        'several problems at once',
        { max_cpc: '-1', total_budget: '1.00', ends_at: '2026-01-01T00:00:00Z', product_ids: ['201'] },
        [
          { field: 'max_cpc', message: 'max_cpc must be more than 0' },
          { field: 'total_budget', message: 'total_budget must be at least daily_budget (10.00)' },
          { field: 'ends_at', message: 'ends_at must be after starts_at' },
          { field: 'product_ids', message: 'product 201 belongs to vendor "Potter", not "Acme"' },
        ],
      ],
    ];

    it.each(cases)('%s', async (_what, change, issues) => {
      const res = await create({ ...VALID, ...change });
      expect(res).toEqual({ status: 422, body: { error: 'invalid_campaign', issues } });
      expect(await campaignRows(SHOP)).toEqual([]);
      expect(await productRows(SHOP)).toEqual([]);
    });

    it('a body that is not an object, or not JSON', async () => {
      expect(await app.call('POST', '/api/campaigns', { token, raw: '[1,2]' })).toEqual({
        status: 422,
        body: { error: 'invalid_campaign', issues: [{ field: 'body', message: 'the body must be a JSON object' }] },
      });
      expect((await app.call('POST', '/api/campaigns', { token, raw: '{"name":' })).status).toBe(400);
      expect(await campaignRows(SHOP)).toEqual([]);
    });

    it('a vendor of another shop is no vendor of this one', async () => {
      const other = await newShop('EUR', [{ id: '901', vendor: 'Elsewhere' }]);
      expect(other).toBeTruthy();
      const res = await create({ ...VALID, vendor: 'Elsewhere', product_ids: ['901'] });
      expect(res.body.issues).toEqual([
        { field: 'vendor', message: `vendor "Elsewhere" has no products in this shop's catalog` },
        { field: 'product_ids', message: "product 901 is not in this shop's catalog" },
      ]);
    });
  });

  describe('lifecycle', () => {
    it('create → get → list → patch, with the advertiser defaulting to the vendor', async () => {
      const created = await create({ ...VALID, product_ids: ['102', '101', '102'] });
      expect(created.status).toBe(201);
      const id = created.body.campaign.id;
      expect(typeof id).toBe('string');
      expect(created.body.campaign).toEqual({
        id,
        name: 'Acme winter',
        vendor: 'Acme',
        advertiser: 'Acme',
        status: 'draft',
        currency: 'EUR',
        max_cpc: '0.45',
        max_cpc_minor: 45,
        daily_budget: '10.00',
        daily_budget_minor: 1000,
        total_budget: '100.00',
        total_budget_minor: 10000,
        spent_total: '0.00',
        spent_total_minor: 0,
        spent_today: '0.00',
        spent_today_minor: 0,
        starts_at: '2026-12-01T00:00:00.000Z',
        ends_at: '2027-01-01T00:00:00.000Z',
        placements: ['related', 'sponsored'],
        product_count: 2,
        product_ids: ['101', '102'],
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const got = await app.call('GET', `/api/campaigns/${id}`, { token });
      expect(got).toEqual({ status: 200, body: { campaign: created.body.campaign } });

      // The charger's spend shows in the list: total and today's (yesterday's is not today's).
      await runtime.db.updateTable('sponsored_campaigns').set({ spent_total_minor: 390 }).where('id', '=', id).execute();
      await runtime.db
        .insertInto('sponsored_daily_spend')
        .values([
          { campaign_id: id, shop: SHOP, day: '2026-11-27', spent_minor: 300 },
          { campaign_id: id, shop: SHOP, day: TODAY, spent_minor: 90 },
        ])
        .execute();
      const second = await create({ ...VALID, name: 'Potter spring', vendor: 'Potter', advertiser: 'Potter Brands Ltd', product_ids: ['201'], status: 'active', starts_at: undefined, ends_at: null });
      expect(second.status).toBe(201);
      expect(second.body.campaign).toMatchObject({ advertiser: 'Potter Brands Ltd', status: 'active', starts_at: new Date(T0).toISOString(), ends_at: null });

      const list = await app.call('GET', '/api/campaigns', { token });
      expect(list.status).toBe(200);
      expect(list.body.campaigns.map((c: { id: string }) => c.id)).toEqual([second.body.campaign.id, id]);
      expect(list.body.campaigns[1]).toMatchObject({ spent_total: '3.90', spent_total_minor: 390, spent_today: '0.90', spent_today_minor: 90, product_count: 2 });
      expect(list.body.campaigns[1].product_ids).toBeUndefined();

      const edited = await patch(id, { name: 'Acme winter sale', max_cpc: '0.60', product_ids: ['103'], ends_at: null, placements: ['cart'] });
      expect(edited.status).toBe(200);
      expect(edited.body.campaign).toMatchObject({ name: 'Acme winter sale', max_cpc: '0.60', max_cpc_minor: 60, product_ids: ['103'], product_count: 1, ends_at: null, placements: ['cart'], status: 'draft', spent_today_minor: 90 });
      expect((await productRows(SHOP)).map((r) => [String(r.campaign_id), r.product_id])).toEqual([
        [id, '103'],
        [second.body.campaign.id, '201'],
      ]);
      expect((await runtime.db.selectFrom('sponsored_campaign_products').select('product_id').where('campaign_id', '=', id).execute()).map((r) => r.product_id)).toEqual(['103']);
      expect(await app.call('GET', `/api/campaigns/${id}`, { token })).toEqual({ status: 200, body: { campaign: edited.body.campaign } });
    });

    it('PATCH validates the merged campaign and writes nothing when it fails', async () => {
      const { body } = await create();
      const id = body.campaign.id;
      const before = await campaignRows(SHOP);
      const refusals: Array<[unknown, Array<{ field: string; message: string }>]> = [
        [{ max_cpc: '10.01' }, [{ field: 'daily_budget', message: 'daily_budget must be at least max_cpc (10.01)' }]],
        [{ daily_budget: '100.01' }, [{ field: 'total_budget', message: 'total_budget must be at least daily_budget (100.01)' }]],
        [{ starts_at: '2027-01-01T00:00:00Z' }, [{ field: 'ends_at', message: 'ends_at must be after starts_at' }]],
        [{ product_ids: ['101', '201'] }, [{ field: 'product_ids', message: 'product 201 belongs to vendor "Potter", not "Acme"' }]],
        [{ vendor: 'Potter' }, [
          { field: 'product_ids', message: 'product 101 belongs to vendor "Acme", not "Potter"' },
          { field: 'product_ids', message: 'product 102 belongs to vendor "Acme", not "Potter"' },
        ]],
        [{ placements: [] }, [{ field: 'placements', message: 'placements must list at least one of related, fbt, for_you, cart, sponsored' }]],
        [{ currency: 'JPY' }, [{ field: 'currency', message: 'currency is not a field of this resource' }]],
        [{ max_cpc: '0' }, [{ field: 'max_cpc', message: 'max_cpc must be more than 0' }]],
        [{ starts_at: null }, [{ field: 'starts_at', message: 'starts_at must be an ISO 8601 date and time such as "2026-12-01T00:00:00Z"' }]],
        [{}, [{ field: 'body', message: 'the body changes nothing: name at least one field' }]],
        [{ name: 'Spring\u0000push' }, [{ field: 'name', message: 'name must not contain control characters' }]],
      ];
      for (const [change, issues] of refusals) {
        expect([change, await patch(id, change)]).toEqual([change, { status: 422, body: { error: 'invalid_campaign', issues } }]);
      }
      expect(await campaignRows(SHOP)).toEqual(before);
      expect((await productRows(SHOP)).map((r) => r.product_id)).toEqual(['101', '102']);

      // Vendor and products together: the advertiser that defaulted to the vendor follows it.
      const moved = await patch(id, { vendor: 'Potter', product_ids: ['201', '202'] });
      expect(moved.body.campaign).toMatchObject({ vendor: 'Potter', advertiser: 'Potter', product_ids: ['201', '202'] });
    });

    it('a product since deleted or moved does not keep the merchant from pausing or renaming', async () => {
      const { body } = await create({ ...VALID, status: 'active' });
      await runtime.db.updateTable('products').set({ vendor: 'Potter' }).where('shop', '=', SHOP).where('id', '=', '101').execute();
      await runtime.db.updateTable('products').set({ deleted_at: new Date() }).where('shop', '=', SHOP).where('id', '=', '102').execute();
      expect((await patch(body.campaign.id, { status: 'paused', name: 'Renamed' })).body.campaign).toMatchObject({ status: 'paused', name: 'Renamed' });
      // Naming the products again judges them against today's catalog.
      expect((await patch(body.campaign.id, { product_ids: ['101'] })).status).toBe(422);
    });

    it('status transitions: allowed ones apply, the others are refused with the reason', async () => {
      const { body } = await create();
      const id = body.campaign.id;
      const to = async (status: string) => patch(id, { status });
      const refusedWith = (message: string) => ({ status: 422, body: { error: 'invalid_campaign', issues: [{ field: 'status', message }] } });

      expect(await to('paused')).toEqual(refusedWith('status cannot change from draft to paused (allowed: active, ended)'));
      expect(await to('exhausted')).toEqual(refusedWith('status exhausted is set only when the total budget is spent'));
      expect((await to('active')).body.campaign.status).toBe('active');
      expect((await to('active')).body.campaign.status).toBe('active');
      expect(await to('draft')).toEqual(refusedWith('status cannot change from active to draft (allowed: paused, ended)'));
      expect((await to('paused')).body.campaign.status).toBe('paused');
      expect(await to('draft')).toEqual(refusedWith('status cannot change from paused to draft (allowed: active, ended)'));
      expect((await to('active')).body.campaign.status).toBe('active');
      expect((await to('ended')).body.campaign.status).toBe('ended');
      const final = refusedWith('the campaign has ended: it can no longer be changed');
      expect(await to('active')).toEqual(final);
      expect(await patch(id, { name: 'Revived' })).toEqual(final);
      expect((await campaignRows(SHOP))[0]).toMatchObject({ status: 'ended', name: 'Acme winter' });

      const draft = (await create()).body.campaign.id;
      expect((await patch(draft, { status: 'ended' })).body.campaign.status).toBe('ended');
    });

    it('exhausted: resumes only with the total budget raised above the spend; the total never drops below it', async () => {
      const { body } = await create({ ...VALID, status: 'active' });
      const id = body.campaign.id;
      // What the charger does when the total budget is spent.
      await runtime.db.updateTable('sponsored_campaigns').set({ status: 'exhausted', spent_total_minor: 10000 }).where('id', '=', id).execute();
      const issue = (field: string, message: string) => ({ status: 422, body: { error: 'invalid_campaign', issues: [{ field, message }] } });

      expect(await patch(id, { status: 'active' })).toEqual(issue('status', 'an exhausted campaign resumes only once total_budget is raised above the 100.00 already spent'));
      expect(await patch(id, { status: 'paused' })).toEqual(issue('status', 'status cannot change from exhausted to paused (allowed: active, ended)'));
      expect(await patch(id, { total_budget: '99.99' })).toEqual(issue('total_budget', 'total_budget must be at least the 100.00 already spent'));
      // Raising the budget alone keeps it exhausted until the merchant resumes it.
      expect((await patch(id, { total_budget: '150.00' })).body.campaign).toMatchObject({ status: 'exhausted', total_budget: '150.00', spent_total: '100.00' });
      expect((await patch(id, { status: 'active' })).body.campaign.status).toBe('active');

      await runtime.db.updateTable('sponsored_campaigns').set({ status: 'exhausted', spent_total_minor: 15000 }).where('id', '=', id).execute();
      const resumed = await patch(id, { total_budget: '200', status: 'active' });
      expect(resumed.body.campaign).toMatchObject({ status: 'active', total_budget: '200.00', total_budget_minor: 20000 });
      expect(await patch(id, { total_budget: '120.00' })).toEqual(issue('total_budget', 'total_budget must be at least the 150.00 already spent'));
      expect((await campaignRows(SHOP))[0]).toMatchObject({ total_budget_minor: 20000, status: 'active' });

      await runtime.db.updateTable('sponsored_campaigns').set({ status: 'exhausted', spent_total_minor: 20000 }).where('id', '=', id).execute();
      expect((await patch(id, { status: 'ended' })).body.campaign.status).toBe('ended');
    });

    it('a budget cut racing a charge is judged against the spend the charge left (422, never a 500)', async () => {
      const { body } = await create({ ...VALID, status: 'active' });
      const id = body.campaign.id;
      await runtime.db.updateTable('sponsored_campaigns').set({ spent_total_minor: 9900 }).where('id', '=', id).execute();
      // A charge as the charger makes it: under the campaign's row lock, committed a moment later.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const charge = runtime.db.transaction().execute(async (tx) => {
        await tx.selectFrom('sponsored_campaigns').select('id').where('id', '=', id).forUpdate().execute();
        locked();
        await held;
        await tx.updateTable('sponsored_campaigns').set({ spent_total_minor: 10000 }).where('id', '=', id).execute();
      });
      await lockTaken;
      const cut = patch(id, { total_budget: '99.00' });
      await new Promise((r) => setTimeout(r, 200));
      release();
      await charge;
      expect(await cut).toEqual({
        status: 422,
        body: { error: 'invalid_campaign', issues: [{ field: 'total_budget', message: 'total_budget must be at least the 100.00 already spent' }] },
      });
      expect((await campaignRows(SHOP))[0]).toMatchObject({ total_budget_minor: 10000, spent_total_minor: 10000 });
    });
  });

  describe('money in the shop currency', () => {
    it('JPY (no decimals): whole yen in and out, a fraction refused', async () => {
      const yenShop = await newShop('JPY');
      const yen = sessionToken(yenShop);
      const created = await create({ ...VALID, max_cpc: '45', daily_budget: '1000', total_budget: '50000' }, yen);
      expect(created.status).toBe(201);
      expect(created.body.campaign).toMatchObject({
        currency: 'JPY',
        max_cpc: '45',
        max_cpc_minor: 45,
        daily_budget: '1000',
        daily_budget_minor: 1000,
        total_budget: '50000',
        total_budget_minor: 50000,
        spent_total: '0',
      });
      expect((await campaignRows(yenShop))[0]).toMatchObject({ max_cpc_minor: 45, currency: 'JPY' });
      expect((await create({ ...VALID, max_cpc: '0.5' }, yen)).body.issues).toEqual([{ field: 'max_cpc', message: 'max_cpc must have no decimals in JPY' }]);
      // Trailing zeros are no extra precision.
      expect((await create({ ...VALID, max_cpc: '45.00', daily_budget: '1000', total_budget: '50000' }, yen)).body.campaign.max_cpc_minor).toBe(45);

      const settings = await app.call('PUT', '/api/sponsored/settings', { token: yen, body: { relevance_threshold: 0.2, reserve: '10', slots_per_block: 2, frequency_cap_per_day: 4 } });
      expect(settings.body.settings).toMatchObject({ reserve: '10', reserve_minor: 10, currency: 'JPY' });
      expect((await app.call('PUT', '/api/sponsored/settings', { token: yen, body: { relevance_threshold: 0.2, reserve: '0.5', slots_per_block: 2, frequency_cap_per_day: 4 } })).body.issues).toEqual([
        { field: 'reserve', message: 'reserve must have no decimals in JPY' },
      ]);
    });

    it('EUR (two decimals): cents in and out; a campaign keeps the currency it was created in', async () => {
      const created = await create({ ...VALID, max_cpc: '0.5', daily_budget: '7', total_budget: '1234.560' });
      expect(created.body.campaign).toMatchObject({ max_cpc: '0.50', max_cpc_minor: 50, daily_budget: '7.00', daily_budget_minor: 700, total_budget: '1234.56', total_budget_minor: 123456 });
      await runtime.db.updateTable('shops').set({ currency: 'JPY' }).where('domain', '=', SHOP).execute();
      const edited = await patch(created.body.campaign.id, { max_cpc: '0.55' });
      expect(edited.body.campaign).toMatchObject({ currency: 'EUR', max_cpc: '0.55', max_cpc_minor: 55 });
    });
  });

  describe('settings', () => {
    const GOOD = { relevance_threshold: 0.45, reserve: '0.12', slots_per_block: 3, frequency_cap_per_day: 10 };

    it('defaults, then put, then get', async () => {
      expect(await app.call('GET', '/api/sponsored/settings', { token })).toEqual({
        status: 200,
        body: { settings: { relevance_threshold: 0.3, reserve: '0.05', reserve_minor: 5, currency: 'EUR', slots_per_block: 1, frequency_cap_per_day: 6, updated_at: null } },
      });
      const put = await app.call('PUT', '/api/sponsored/settings', { token, body: GOOD });
      expect(put.status).toBe(200);
      expect(put.body.settings).toMatchObject({ relevance_threshold: 0.45, reserve: '0.12', reserve_minor: 12, slots_per_block: 3, frequency_cap_per_day: 10 });
      expect(put.body.settings.updated_at).toEqual(expect.any(String));
      expect(await app.call('GET', '/api/sponsored/settings', { token })).toEqual(put);
      const again = await app.call('PUT', '/api/sponsored/settings', { token, body: { ...GOOD, slots_per_block: 0, reserve: '0' } });
      expect(again.body.settings).toMatchObject({ slots_per_block: 0, reserve: '0.00', reserve_minor: 0 });
      expect(await runtime.db.selectFrom('sponsored_settings').select(['shop', 'slots_per_block', 'reserve_minor']).where('shop', '=', SHOP).execute()).toEqual([
        { shop: SHOP, slots_per_block: 0, reserve_minor: 0 },
      ]);
    });

    it.each([
      [{ relevance_threshold: 1.1 }, [{ field: 'relevance_threshold', message: 'relevance_threshold must be a number from 0 to 1' }]],
      [{ relevance_threshold: -0.1 }, [{ field: 'relevance_threshold', message: 'relevance_threshold must be a number from 0 to 1' }]],
      [{ relevance_threshold: '0.5' }, [{ field: 'relevance_threshold', message: 'relevance_threshold must be a number from 0 to 1' }]],
      [{ reserve: '-0.01' }, [{ field: 'reserve', message: 'reserve must be 0 or more' }]],
      [{ reserve: '0.001' }, [{ field: 'reserve', message: 'reserve must have at most 2 decimals in EUR' }]],
      [{ reserve: 5 }, [{ field: 'reserve', message: 'reserve must be a decimal string such as "0.05"' }]],
      [{ slots_per_block: 5 }, [{ field: 'slots_per_block', message: 'slots_per_block must be a whole number from 0 to 4' }]],
      [{ slots_per_block: 1.5 }, [{ field: 'slots_per_block', message: 'slots_per_block must be a whole number from 0 to 4' }]],
      [{ frequency_cap_per_day: 0 }, [{ field: 'frequency_cap_per_day', message: 'frequency_cap_per_day must be a whole number from 1 to 1000' }]],
      [{ frequency_cap_per_day: 1001 }, [{ field: 'frequency_cap_per_day', message: 'frequency_cap_per_day must be a whole number from 1 to 1000' }]],
      [{ frequency_cap_per_day: undefined }, [{ field: 'frequency_cap_per_day', message: 'frequency_cap_per_day is required' }]],
      [{ label: 'Ad' }, [{ field: 'label', message: 'label is not a field of this resource' }]],
    ])('PUT with %o → 422, nothing written', async (change, issues) => {
      const res = await app.call('PUT', '/api/sponsored/settings', { token, body: { ...GOOD, ...change } });
      expect(res).toEqual({ status: 422, body: { error: 'invalid_settings', issues } });
      expect(await runtime.db.selectFrom('sponsored_settings').selectAll().where('shop', '=', SHOP).execute()).toEqual([]);
    });
  });

  it('other /api paths still need a token, and then are not found', async () => {
    expect((await app.call('GET', '/api/nothing')).status).toBe(401);
    expect(await app.call('GET', '/api/nothing', { token })).toEqual({ status: 404, body: { error: 'not_found' } });
    // The organic app keeps answering its own routes.
    expect((await app.call('GET', '/healthz')).status).toBe(200);
  });
});
