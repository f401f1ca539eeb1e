import { sql } from 'kysely';
import { campaignReport, campaignsReport, modelsReport, overviewReport, placementsReport, vendorsReport, vendorStatement } from '../../../shared/reports';
import { recommendationTokenKey } from '../../../shared/tracking';
import { BACKENDS } from '../../support/databases';
import { testRuntime } from '../../support/runtime';
import { seedStore, type SeededStore } from '../../shared/reports/support/seed-store';
import { sessionToken, startAdminApp } from './admin-api-fixtures';

/** The admin clock: 17 Oct 2026, 12:00 UTC; the default range is 2026-09-18..2026-10-17. */
const NOW = Date.UTC(2026, 9, 17, 12, 0, 0);
const DEFAULT_RANGE = { from: '2026-09-18', to: '2026-10-17' };
const RANGE = { from: '2026-09-25', to: '2026-10-09' };
const q = `from=${RANGE.from}&to=${RANGE.to}`;
/** JSON as it travels: what the API answers is the report function's value, serialised. */
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

let shops = 0;

describe.each(BACKENDS)('admin API: reports (%s)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let app: Awaited<ReturnType<typeof startAdminApp>>;
  let shop: string;
  let other: string;
  let token: string;
  let seeded: SeededStore;
  let otherCampaign: string;

  const get = async (path: string, t: string | undefined = token) => {
    const res = await fetch(`${app.url}${path}`, { headers: t ? { authorization: `Bearer ${t}` } : {} });
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), text: await res.text() };
  };
  const getJson = async (path: string, t?: string) => {
    const r = await get(path, t);
    return { ...r, body: JSON.parse(r.text) as Record<string, unknown> };
  };

  beforeAll(async () => {
    runtime = await testRuntime({ backend: backend as 'pglite' | 'postgres' });
    app = await startAdminApp(runtime, { now: NOW });
    shop = `reports-${backend}-${++shops}.myshopify.com`;
    other = `reports-other-${backend}-${shops}.myshopify.com`;
    const options = { start: '2026-09-20', days: 28, impressions: 150, orders: 70, customerIdKey: 'api-customer-key-0123456789abcdef', tokenKey: recommendationTokenKey(Buffer.alloc(32, 3)) };
    seeded = await seedStore(runtime.db, { ...options, shop, seed: 7 });
    const otherStore = await seedStore(runtime.db, { ...options, shop: other, seed: 8, impressions: 10, orders: 3 });
    otherCampaign = otherStore.campaigns[0]!.id;
    token = sessionToken(shop);
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await runtime.close();
  });

  it('refuses every route without a valid session token', async () => {
    for (const path of ['/api/reports/overview', '/api/reports/placements', '/api/reports/models', '/api/reports/campaigns', `/api/reports/campaigns/${seeded.campaigns[0]!.id}`, '/api/reports/vendors', '/api/reports/statements?vendor=Acme&month=2026-10']) {
      expect(await getJson(path, '')).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect((await get(path, sessionToken(shop, { secret: 'not-the-app-secret' }))).status).toBe(401);
    }
  });

  it('answers each report as its shared/reports function computes it, for the token’s shop only', async () => {
    const db = runtime.db;
    const overview = await getJson(`/api/reports/overview?${q}`);
    expect(overview.status).toBe(200);
    expect(overview.body).toEqual(json(await overviewReport(db, shop, RANGE)));
    expect(overview.body).toMatchObject({ range: RANGE, currency: 'GBP', rules: { recommendationClickWindowDays: 7, sponsoredClickWindowDays: 14, sponsoredViewWindowDays: 1 } });
    expect((overview.body.series as unknown[]).length).toBe(15);
    expect((overview.body.totals as { storeOrders: number }).storeOrders).toBeGreaterThan(0);
    expect((await getJson(`/api/reports/placements?${q}`)).body).toEqual(json(await placementsReport(db, shop, RANGE)));
    expect((await getJson(`/api/reports/models?${q}`)).body).toEqual(json(await modelsReport(db, shop, RANGE)));
    const campaigns = await getJson(`/api/reports/campaigns?${q}`);
    expect(campaigns.body).toEqual(json(await campaignsReport(db, shop, RANGE)));
    expect((campaigns.body.rows as Array<{ campaignId: string }>).map((r) => r.campaignId)).toEqual(seeded.campaigns.map((c) => c.id));
    for (const c of seeded.campaigns) {
      const one = await getJson(`/api/reports/campaigns/${c.id}?${q}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(json(await campaignReport(db, shop, { ...RANGE, campaignId: c.id })));
    }
    expect((await getJson(`/api/reports/vendors?${q}`)).body).toEqual(json(await vendorsReport(db, shop, RANGE)));
  });

  it('defaults to the 30 days ending today on the injected clock', async () => {
    const overview = await getJson('/api/reports/overview');
    expect(overview.body.range).toEqual(DEFAULT_RANGE);
    expect((overview.body.series as Array<{ day: string }>).map((d) => d.day)).toHaveLength(30);
    expect((await getJson('/api/reports/campaigns?from=2026-10-01')).body.range).toEqual({ from: '2026-10-01', to: '2026-10-17' });
  });

  it('answers 404 for another shop’s campaign or an unknown one', async () => {
    for (const id of [otherCampaign, '999999', 'abc']) expect(await getJson(`/api/reports/campaigns/${id}?${q}`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
    // The other shop's own token reaches it.
    expect((await getJson(`/api/reports/campaigns/${otherCampaign}?${q}`, sessionToken(other))).status).toBe(200);
  });

  it.each([
    ['a malformed day', 'from=2026-9-01&to=2026-10-01', 'from'],
    ['a day that does not exist', 'from=2026-02-30&to=2026-03-01', 'from'],
    ['from after to', 'from=2026-10-02&to=2026-10-01', 'from'],
    ['more than 366 days', 'from=2025-01-01&to=2026-01-02', 'to'],
  ])('answers 422 invalid_range for %s', async (_what, query, field) => {
    for (const path of ['overview', 'placements', 'models', 'campaigns', 'vendors', `campaigns/${seeded.campaigns[0]!.id}`]) {
      const answer = await getJson(`/api/reports/${path}?${query}`);
      expect(answer.status).toBe(422);
      expect(answer.body).toEqual({ error: 'invalid_range', issues: [expect.objectContaining({ field, message: expect.any(String) })] });
    }
  });

  it('accepts a range of exactly 366 days, and refuses an unknown format', async () => {
    expect((await getJson('/api/reports/overview?from=2025-10-17&to=2026-10-17')).status).toBe(200);
    expect((await getJson(`/api/reports/overview?${q}&format=xml`)).status).toBe(422);
  });

  it('exports CSV with a header row, money as decimal strings and RFC 4180 quoting', async () => {
    const overview = await get(`/api/reports/overview?${q}&format=csv`);
    expect(overview.status).toBe(200);
    expect(overview.type).toBe('text/csv; charset=utf-8');
    expect(overview.disposition).toBe(`attachment; filename="overview-${RANGE.from}-${RANGE.to}.csv"`);
    const lines = overview.text.split('\r\n');
    expect(lines[0]).toBe('day,store_revenue,attributed_revenue,attributed_orders,impressions,clicks');
    expect(lines).toHaveLength(15 + 2); // header, 15 days, and the empty string after the last CRLF
    const report = await overviewReport(runtime.db, shop, RANGE);
    const busy = report.series.find((d) => d.storeRevenueMinor > 0 && d.storeRevenueMinor % 100 !== 0)!;
    const pounds = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
    expect(lines).toContain(`${busy.day},${pounds(busy.storeRevenueMinor)},${pounds(busy.attributedRevenueMinor)},${busy.attributedOrders},${busy.impressions},${busy.clicks}`);

    const campaigns = await get(`/api/reports/campaigns?${q}&format=csv`);
    expect(campaigns.disposition).toBe(`attachment; filename="campaigns-${RANGE.from}-${RANGE.to}.csv"`);
    const rows = campaigns.text.split('\r\n');
    expect(rows[0]!.startsWith('campaign_id,name,vendor,status,impressions,clicks,ctr,charged_clicks,spend,')).toBe(true);
    const quoted = seeded.campaigns.find((c) => c.name.includes('"'))!;
    expect(rows.find((r) => r.startsWith(`${quoted.id},`))).toMatch(new RegExp(`^${quoted.id},"Acme ""mugs"", again",Acme,`));
    const one = await get(`/api/reports/campaigns/${quoted.id}?${q}&format=csv`);
    expect(one.text.split('\r\n')[0]).toBe('day,impressions,clicks,spend,attributed_orders,attributed_sales');
    for (const report of ['placements', 'models', 'vendors']) {
      const answer = await get(`/api/reports/${report}?${q}&format=csv`);
      expect(answer.type).toBe('text/csv; charset=utf-8');
      expect(answer.disposition).toBe(`attachment; filename="${report}-${RANGE.from}-${RANGE.to}.csv"`);
    }
  });

  it('gives a vendor statement as JSON, CSV and a printable page, every line traceable to the ledger', async () => {
    const statement = await vendorStatement(runtime.db, shop, { vendor: 'Acme', month: '2026-10' });
    expect(statement.charges.length).toBeGreaterThan(0);
    const ledger = await sql<{ id: string }>`
      select l.id::text as id from sponsored_ledger l join sponsored_campaigns c on c.id = l.campaign_id
      where l.shop = ${shop} and c.vendor = 'Acme' and l.status = 'charged' and l.day >= '2026-10-01' and l.day <= '2026-10-31'
    `.execute(runtime.db);
    expect(statement.charges.map((c) => c.ledgerId).sort()).toEqual(ledger.rows.map((r) => r.id).sort());

    const answer = await getJson('/api/reports/statements?vendor=Acme&month=2026-10');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(json(statement));

    const html = await get('/api/reports/statements?vendor=Acme&month=2026-10&format=html');
    expect(html.status).toBe(200);
    expect(html.type).toBe('text/html; charset=utf-8');
    expect(html.text).not.toMatch(/<script/i);
    expect(html.text).toContain('@media print');
    for (const c of statement.charges) {
      expect(html.text).toContain(`<td>${c.ledgerId}</td>`);
      expect(html.text).toContain(c.chargeKey);
    }

    const csv = await get('/api/reports/statements?vendor=Acme&month=2026-10&format=csv');
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.disposition).toBe('attachment; filename="statement-Acme-2026-10.csv"');
    const lines = csv.text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('kind,ledger_id,charge_key,at,campaign_id,campaign_name,order_id,order_name,line_item_id,product_id,product_title,placement,source,amount');
    expect(lines).toHaveLength(1 + statement.charges.length + statement.sales.length);
    expect(lines.filter((l) => l.startsWith('charge,')).map((l) => l.split(',')[1]).sort()).toEqual(statement.charges.map((c) => c.ledgerId).sort());
    expect(lines.filter((l) => l.startsWith('sale,'))).toHaveLength(statement.sales.length);
  });

  it('answers 422 for a statement without a vendor or with a malformed month', async () => {
    expect(await getJson('/api/reports/statements?month=2026-10')).toMatchObject({ status: 422, body: { error: 'invalid_statement', issues: [expect.objectContaining({ field: 'vendor' })] } });
    expect(await getJson('/api/reports/statements?vendor=Acme&month=2026-13')).toMatchObject({ status: 422, body: { error: 'invalid_statement', issues: [expect.objectContaining({ field: 'month' })] } });
    expect((await getJson('/api/reports/statements?vendor=Acme&month=2026-10&format=pdf')).status).toBe(422);
  });
});
