import { Liquid } from 'liquidjs';
import { verifyRecommendationToken } from '../../../../shared/tracking';
import { switchServing, writeVersionLists, type ServingLists } from '../../../../worker/train';
import { BACKENDS } from '../../../support/databases';
import { eventually, testRuntime } from '../../../support/runtime';
import { drainEvents } from '../../../support/storefront-event-store';
import { eventId, postEvents } from '../../../support/storefront-events';
import { insertProducts, insertShop, proxyGet, startProxyApp, type Answer, type Card, type ProductSpec } from '../recommendations/storefront-fixtures';

let SHOP = 'sponsored-0.myshopify.com';
let shops = 0;
/** 03:00 UTC: an eighth of the spend day gone, so pacing lets an unspent campaign bid every time. */
const T0 = Date.UTC(2026, 10, 28, 3, 0, 0);

const CATALOG: ProductSpec[] = [
  { id: '101', title: 'White mug', product_type: 'Mug', tags: ['ceramic', 'white'], vendor: 'Acme' },
  { id: '102', title: 'Blue teapot', product_type: 'Teapot', tags: ['ceramic'], vendor: 'Potter' },
  { id: '103', title: 'Tea towel', product_type: 'Towel', tags: ['linen'], vendor: 'Linens' },
  { id: '104', title: 'Black mug', product_type: 'Mug', tags: ['ceramic', 'black'], vendor: 'Mugworks' },
  { id: '105', title: 'Red mug', product_type: 'Mug', tags: ['ceramic', 'red'], vendor: 'Redware' },
  { id: '106', title: 'Sold out saucer', available: false, vendor: 'Acme' },
  { id: '110', title: 'Green mug', product_type: 'Mug', tags: ['ceramic'], vendor: 'Acme' },
  { id: '111', title: 'Acme spoon', vendor: 'Acme' },
];

/**
 * Product 101's co-purchase list: 110 sits at rank 8 (relevance 1 / 1.8 = 0.556) and 104 at rank 6
 * (1 / 1.6 = 0.625). 111 is in no list; its only likeness to 101 is the vendor (0.4 × 0.6 = 0.24,
 * under the 0.3 threshold).
 */
const LISTS: ServingLists = {
  trending: [],
  popular: ['103'],
  product: { '101': ['102', '106', '107', '108', '109', '103', '104', '105', '110'] },
  cart: {},
  for_you: {},
};

describe.each(BACKENDS)('sponsored slots through the real app (Redis, %s)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let app: Awaited<ReturnType<typeof startProxyApp>>;
  const clock = { now: T0 };

  const get = async (params: Record<string, string>, options: { path?: 'recommendations' | 'sponsored'; customer?: string; address?: string } = {}) => {
    const res = await proxyGet(app.url, {
      shop: SHOP,
      params,
      nowMs: clock.now,
      customer: options.customer,
      path: options.path,
      headers: { 'X-Forwarded-For': options.address ?? '203.0.113.7' },
    });
    expect(res.status).toBe(200);
    return res;
  };
  const answer = async (params: Record<string, string>, options: Parameters<typeof get>[1] = {}) => (await get(params, options)).json() as Answer;
  let fresh = 0;
  /**
   * Asks (each time as a new shopper, clear of frequency caps) until the answer meets `done`: a
   * stale cache is served while its reload runs in the background, so a change shows on a later
   * request, not necessarily the next one.
   */
  const answerOnceReloaded = (params: Record<string, string>, done: (a: Answer) => boolean, path: 'recommendations' | 'sponsored' = 'recommendations') =>
    eventually(async () => {
      const a = await answer(params, { path, address: `172.16.${Math.floor(++fresh / 250)}.${fresh % 250}` });
      return done(a) ? a : undefined;
    }, 5000);
  const campaign = async (spec: { vendor: string; products: string[]; bid: number; daily?: number; total?: number; placements?: string[]; status?: 'active' | 'paused' | 'draft'; startsAt?: number; endsAt?: number | null }) => {
    const row = await runtime.db
      .insertInto('sponsored_campaigns')
      .values({
        shop: SHOP,
        name: `${spec.vendor} spring`,
        vendor: spec.vendor,
        advertiser: spec.vendor,
        max_cpc_minor: spec.bid,
        daily_budget_minor: spec.daily ?? 10_000,
        total_budget_minor: spec.total ?? 100_000,
        currency: 'EUR',
        starts_at: new Date(spec.startsAt ?? T0 - 86_400_000).toISOString(),
        ends_at: spec.endsAt === undefined ? null : spec.endsAt === null ? null : new Date(spec.endsAt).toISOString(),
        placements: JSON.stringify(spec.placements ?? ['related', 'fbt', 'for_you', 'cart', 'sponsored']),
        status: spec.status ?? 'active',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = String(row.id);
    await runtime.db
      .insertInto('sponsored_campaign_products')
      .values(spec.products.map((product_id) => ({ campaign_id: id, shop: SHOP, product_id })))
      .execute();
    return id;
  };
  const settings = (values: { relevance_threshold?: number; reserve_minor?: number; slots_per_block?: number; frequency_cap_per_day?: number }) =>
    runtime.db.insertInto('sponsored_settings').values({ shop: SHOP, ...values }).execute();
  const verify = (token: string) => {
    const checked = verifyRecommendationToken(app.tokenKey, SHOP, token, { nowSeconds: Math.floor(clock.now / 1000) });
    if (!checked.ok) throw new Error(`token did not verify: ${checked.reason}`);
    return checked.token;
  };

  beforeAll(async () => {
    runtime = await testRuntime({ backend: backend as 'pglite' | 'postgres', config: { STOREFRONT_CACHE_SECONDS: '30', STOREFRONT_MAX_PER_VENDOR: '2' } });
  });
  afterAll(() => runtime.close());

  beforeEach(async () => {
    clock.now = T0;
    SHOP = `sponsored-${++shops}-${backend}.myshopify.com`;
    await insertShop(runtime.db, SHOP, 'EUR');
    await insertProducts(runtime.db, SHOP, CATALOG);
    await writeVersionLists({ redis: runtime.redis, prefix: runtime.config.queuePrefix, shop: SHOP, version: '7', lists: LISTS, now: clock.now });
    await switchServing({ redis: runtime.redis, prefix: runtime.config.queuePrefix, shop: SHOP, version: '7' });
    app = await startProxyApp(runtime, clock);
  });
  afterEach(() => app.close());

  it('mixes the auction winner into the block at the second position, labelled, with a signed price; no slot when the block allows none', async () => {
    const acme = await campaign({ vendor: 'Acme', products: ['110', '111'], bid: 50 });
    const withSlot = await answer({ placement: 'fbt', product_id: '101', limit: '4', sponsored: '1' });
    expect(withSlot.products.map((p) => p.id)).toEqual(['102', '110', '103', '104']);
    const card = withSlot.products[1]!;
    expect(card).toMatchObject({ sponsored: true, campaign_id: acme, reason: 'Sponsored' });
    expect(withSlot.products.filter((p) => p.sponsored)).toHaveLength(1);
    // The only bidder pays the reserve (5); the token carries campaign and price, signed.
    expect(verify(card.token)).toMatchObject({ productId: '110', position: 1, sponsored: true, placement: 'fbt', sponsorship: { campaignId: acme, priceMinor: 5 } });
    expect(verify(withSlot.products[0]!.token).sponsored).toBe(false);

    const without = await answer({ placement: 'fbt', product_id: '101', limit: '4' });
    expect(without.products.map((p) => p.id)).toEqual(['102', '103', '104', '105']);
    expect(without.products.some((p) => p.sponsored)).toBe(false);
  });

  it('second price: the winner pays the least that keeps its rank against the runner-up, and the Sponsored block shows both in score order', async () => {
    const acme = await campaign({ vendor: 'Acme', products: ['110'], bid: 50 });
    const mugworks = await campaign({ vendor: 'Mugworks', products: ['104'], bid: 41 });
    // Quality with no observations = 0.02 × relevance: Acme 50 × 0.02 × 0.5556 = 0.5556 beats
    // Mugworks 41 × 0.02 × 0.625 = 0.5125; Acme pays ceil(0.5125 / 0.011111) = 47.
    const block = await answer({ placement: 'fbt', product_id: '101', limit: '2', sponsored: '1' });
    expect(block.products.map((p) => p.id)).toEqual(['102', '110']);
    expect(verify(block.products[1]!.token).sponsorship).toEqual({ campaignId: acme, priceMinor: 47 });

    const slot = await answer({ placement: 'fbt', product_id: '101', limit: '4' }, { path: 'sponsored', address: '198.51.100.1' });
    expect(slot.products.map((p) => [p.id, p.campaign_id, p.sponsored])).toEqual([
      ['110', acme, true],
      ['104', mugworks, true],
    ]);
    const [first, second] = slot.products.map((p) => verify(p.token));
    expect(first).toMatchObject({ placement: 'sponsored', sponsorship: { campaignId: acme, priceMinor: 47 } });
    // The last winner has nobody below it: it pays the reserve.
    expect(second).toMatchObject({ placement: 'sponsored', sponsorship: { campaignId: mugworks, priceMinor: 5 } });
  });

  it('two campaigns promoting one product compete for it: the winner pays against the other; a one-card block shows the winner alone', async () => {
    const brand = await campaign({ vendor: 'Acme', products: ['110'], bid: 50 });
    const agency = await campaign({ vendor: 'Acme', products: ['110'], bid: 45 });
    const block = await answer({ placement: 'fbt', product_id: '101', limit: '4', sponsored: '2' });
    // One product, one slot: the brand wins it; same product, same quality: it pays the agency's 45.
    expect(block.products.filter((p) => p.sponsored).map((p) => [p.id, p.campaign_id])).toEqual([['110', brand]]);
    expect(verify(block.products[1]!.token).sponsorship).toEqual({ campaignId: brand, priceMinor: 45 });
    expect(agency).not.toBe(brand);
    const single = await answer({ placement: 'fbt', product_id: '101', limit: '1', sponsored: '1' }, { address: '198.51.100.77' });
    expect(single.products.map((p) => [p.id, p.sponsored])).toEqual([['110', true]]);
  });

  it('never shows an irrelevant, unavailable, in-cart or already shown product, nor one under the reserve', async () => {
    // 111 (relevance 0.24) and 106 (sold out) only: nothing to show.
    await campaign({ vendor: 'Acme', products: ['111', '106'], bid: 90 });
    expect((await answer({ placement: 'fbt', product_id: '101', limit: '4', sponsored: '1' })).products.some((p) => p.sponsored)).toBe(false);
    // The merchant lowers the threshold: 111 becomes relevant enough.
    await settings({ relevance_threshold: 0.2 });
    clock.now += 31_000;
    const lowered = await answerOnceReloaded({ placement: 'fbt', product_id: '101', limit: '4', sponsored: '1' }, (a) => a.products.some((p) => p.sponsored));
    expect(lowered.products.find((p) => p.sponsored)?.id).toBe('111');
    // In the cart: not offered.
    const inCart = await answer({ placement: 'fbt', product_id: '101', limit: '4', sponsored: '1', cart: '111' });
    expect(inCart.products.some((p) => p.sponsored)).toBe(false);
  });

  it('a bid under the reserve, a paused, future, ended or elsewhere-placed campaign, and a spent budget take no slot', async () => {
    await settings({ reserve_minor: 60 });
    await campaign({ vendor: 'Acme', products: ['110'], bid: 50 });
    await campaign({ vendor: 'Mugworks', products: ['104'], bid: 90, status: 'paused' });
    const later = await campaign({ vendor: 'Redware', products: ['105'], bid: 90, startsAt: T0 + 3_600_000 });
    await campaign({ vendor: 'Linens', products: ['103'], bid: 90, endsAt: T0 - 1000, startsAt: T0 - 7_200_000 });
    await campaign({ vendor: 'Potter', products: ['102'], bid: 90, placements: ['cart'] });
    const none = await answer({ placement: 'fbt', product_id: '101', limit: '2' }, { path: 'sponsored' });
    expect(none.products).toEqual([]);

    // A campaign made while the shop's campaigns are in memory bids once they are reloaded
    // (STOREFRONT_CACHE_SECONDS, 30 here); one whose day's budget is spent stops bidding within
    // the spend refresh (1 s).
    const spent = await campaign({ vendor: 'Mugworks', products: ['104'], bid: 90, daily: 500 });
    clock.now += 31_000;
    const q = { placement: 'fbt', product_id: '101', limit: '2' };
    const loaded = await answerOnceReloaded(q, (a) => a.products.length > 0, 'sponsored');
    expect(loaded.products.map((p) => p.campaign_id)).toEqual([spent]);
    await runtime.db.insertInto('sponsored_daily_spend').values({ campaign_id: spent, shop: SHOP, day: '2026-11-28', spent_minor: 500, clicks: 6 }).execute();
    clock.now += 1500;
    await answerOnceReloaded(q, (a) => a.products.length === 0, 'sponsored');
    // Within the same second's snapshot it stays out.
    expect((await answer(q, { path: 'sponsored', address: '10.0.0.3' })).products).toEqual([]);
    // The next UTC day the budget is whole again, and the campaign that starts later has started.
    clock.now = Date.UTC(2026, 10, 29, 6, 0, 0);
    const nextDay = await answerOnceReloaded(q, (a) => a.products.length === 2, 'sponsored');
    expect(nextDay.products.map((p) => p.campaign_id).sort()).toEqual([spent, later].sort());
  });

  it('holds the frequency cap per shopper per day (address, or the logged-in customer), and a pause applies within a second', async () => {
    await settings({ frequency_cap_per_day: 2 });
    const acme = await campaign({ vendor: 'Acme', products: ['110'], bid: 50 });
    const shown = async (options: Parameters<typeof get>[1]) => (await answer({ placement: 'fbt', product_id: '101', limit: '4', sponsored: '1' }, options)).products.some((p) => p.campaign_id === acme);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await shown({ address: '192.0.2.10' }));
    expect(seen).toEqual([true, true, false, false]);
    // Another shopper, and a logged-in customer behind the same address, have caps of their own.
    expect(await shown({ address: '192.0.2.11' })).toBe(true);
    expect(await shown({ address: '192.0.2.10', customer: '777' })).toBe(true);

    await runtime.db.updateTable('sponsored_campaigns').set({ status: 'paused' }).where('id', '=', acme).execute();
    clock.now += 1500;
    const paused = await answerOnceReloaded({ placement: 'fbt', product_id: '101', limit: '4', sponsored: '1' }, (a) => !a.products.some((p) => p.sponsored));
    expect(paused.products).toHaveLength(4);
    expect(await shown({ address: '192.0.2.13' })).toBe(false);
  });

  it('a campaign capped for the shopper drops out and the auction runs again: the runner-up takes the slot, at a price without the capped bid', async () => {
    await settings({ frequency_cap_per_day: 1 });
    const acme = await campaign({ vendor: 'Acme', products: ['110'], bid: 50 });
    const mugworks = await campaign({ vendor: 'Mugworks', products: ['104'], bid: 41 });
    const slot = async () => (await answer({ placement: 'fbt', product_id: '101', limit: '2', sponsored: '1' }, { address: '192.0.2.40' })).products.find((p) => p.sponsored);
    const first = (await slot())!;
    expect([first.campaign_id, verify(first.token).sponsorship?.priceMinor]).toEqual([acme, 47]);
    const second = (await slot())!;
    // Mugworks now has nobody below it: the reserve.
    expect([second.id, second.campaign_id, verify(second.token).sponsorship?.priceMinor]).toEqual(['104', mugworks, 5]);
    expect(await slot()).toBeUndefined();
  });

  it('renders the Sponsored label in the Liquid answer', async () => {
    await campaign({ vendor: 'Acme', products: ['110'], bid: 50 });
    const res = await get({ placement: 'fbt', product_id: '101', limit: '4', sponsored: '1', format: 'liquid' });
    const html = await new Liquid().parseAndRender(res.text, {});
    expect(html).toMatch(/<li class="shelfwise-card shelfwise-card--sponsored" data-product-id="110"[^>]*data-campaign-id="\d+"><span class="shelfwise-card__badge">Sponsored<\/span>/);
    expect(html.match(/shelfwise-card__badge/g)).toHaveLength(1);
  });

  it('end to end: a click on a served sponsored card is charged its auction price once, traced to the impression; an organic click is not charged', async () => {
    const acme = await campaign({ vendor: 'Acme', products: ['110'], bid: 50 });
    await campaign({ vendor: 'Mugworks', products: ['104'], bid: 41 });
    const served = await answer({ placement: 'fbt', product_id: '101', limit: '2', sponsored: '1' });
    const [organic, paid] = served.products as [Card, Card];
    expect(paid.sponsored).toBe(true);
    const click = (token: string, id = eventId()) => ({ id, type: 'click', token, at: clock.now });
    const beacon = (events: unknown[]) =>
      postEvents(app.url, { shop: SHOP, clock: { ms: clock.now }, body: { consent: { analytics: true }, visitor_id: 'visitor-0001', events }, clientAddress: '203.0.113.50' });
    const sameClick = click(paid.token);
    const sent = await beacon([sameClick, click(organic.token)]);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ accepted: 2 });
    // The block's retry of the same beacon, and a second click on the same card: one charge.
    await beacon([sameClick]);
    await beacon([click(paid.token)]);
    await drainEvents(runtime);
    await drainEvents(runtime);

    const ledger = await runtime.db.selectFrom('sponsored_ledger').selectAll().where('shop', '=', SHOP).execute();
    expect(ledger).toHaveLength(1);
    const impression = verify(paid.token);
    // int8 columns read back as numbers (shared/db parses them).
    expect(String(ledger[0]!.campaign_id)).toBe(acme);
    expect(ledger[0]).toMatchObject({
      status: 'charged',
      price_minor: 47,
      amount_minor: 47,
      currency: 'EUR',
      product_id: '110',
      impression_id: impression.impressionId,
      charge_key: `${impression.impressionId}:110`,
      event_id: sameClick.id,
      token: paid.token,
    });
    const spent = await runtime.db.selectFrom('sponsored_campaigns').select('spent_total_minor').where('id', '=', acme).executeTakeFirstOrThrow();
    expect(Number(spent.spent_total_minor)).toBe(47);
  });

  it('a shopper without consent who reloads and clicks the same sponsored product again within 30 minutes is charged once; another shopper is charged', async () => {
    const acme = await campaign({ vendor: 'Acme', products: ['110'], bid: 50 });
    const servedTo = async (address: string) => {
      const a = await answer({ placement: 'fbt', product_id: '101', limit: '2', sponsored: '1' }, { address });
      const card = a.products.find((p) => p.sponsored);
      expect(card?.campaign_id).toBe(acme);
      return card!.token;
    };
    const clickFrom = (address: string, token: string) =>
      postEvents(app.url, { shop: SHOP, clock: { ms: clock.now }, body: { events: [{ id: eventId(), type: 'click', token, at: clock.now }] }, clientAddress: address });
    // Two page loads, two impressions, two tokens; no consent: no visitor id anywhere.
    const first = await servedTo('203.0.113.80');
    const second = await servedTo('203.0.113.80');
    expect(second).not.toBe(first);
    expect((await clickFrom('203.0.113.80', first)).body).toMatchObject({ accepted: 1 });
    clock.now += 5000;
    expect((await clickFrom('203.0.113.80', second)).body).toMatchObject({ accepted: 1 });
    // Another shopper's click on the same product.
    expect((await clickFrom('203.0.113.81', await servedTo('203.0.113.81'))).body).toMatchObject({ accepted: 1 });
    await drainEvents(runtime);

    const ledger = await runtime.db.selectFrom('sponsored_ledger').select(['status', 'reason', 'amount_minor', 'visitor_key']).where('shop', '=', SHOP).orderBy('id').execute();
    expect(ledger).toEqual([
      { status: 'charged', reason: null, amount_minor: 5, visitor_key: null },
      { status: 'not_charged', reason: 'repeat_click', amount_minor: 0, visitor_key: null },
      { status: 'charged', reason: null, amount_minor: 5, visitor_key: null },
    ]);
  });
});
