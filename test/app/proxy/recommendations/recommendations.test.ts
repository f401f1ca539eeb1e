import { Liquid } from 'liquidjs';
import { customerPseudonym } from '../../../../shared/crypto';
import { createRedis } from '../../../../shared/redis';
import { signProxyQuery } from '../../../../shared/shopify';
import { TOKEN_URL_PARAM, verifyRecommendationToken } from '../../../../shared/tracking';
import { switchServing, writeVersionLists, type ServingLists } from '../../../../worker/train';
import { TEST_SECRET } from '../../../support/config';
import { BACKENDS } from '../../../support/databases';
import { eventually, testRuntime } from '../../../support/runtime';
import { insertProducts, insertShop, proxyGet, startProxyApp, type Answer, type ProductSpec } from './storefront-fixtures';

/** One shop per test on one database per backend: the migrations run once per backend, not per test. */
let SHOP = 'reco-0.myshopify.com';
let shops = 0;
const T0 = Date.UTC(2026, 10, 28, 3, 0, 0);

/** 101-199: a mug shop; every product its own vendor unless told. */
const CATALOG: ProductSpec[] = [
  { id: '101', title: 'White mug', product_type: 'Mug', tags: ['ceramic', 'white'], vendor: 'Acme' },
  { id: '102', title: 'Blue teapot', product_type: 'Teapot', tags: ['ceramic'], vendor: 'Potter' },
  { id: '103', title: 'Tea towel', product_type: 'Towel', tags: ['linen'], vendor: 'Linens' },
  { id: '104', title: 'Black mug', product_type: 'Mug', tags: ['ceramic', 'black'], vendor: 'Mugworks' },
  { id: '105', title: 'Red mug', product_type: 'Mug', tags: ['ceramic', 'red'], vendor: 'Redware' },
  { id: '106', title: 'Sold out saucer', available: false },
  { id: '107', title: 'Draft plate', status: 'draft' },
  { id: '108', title: 'Hidden bowl', published_at: null },
  { id: '109', title: 'Deleted jug', deleted_at: '2026-02-01T00:00:00Z' },
  { id: '110', title: 'Green mug', product_type: 'Mug', tags: ['ceramic'], vendor: 'Acme' },
  { id: '111', title: 'Acme spoon', vendor: 'Acme' },
  { id: '112', title: 'Acme fork', vendor: 'Acme' },
  { id: '113', title: 'Trending kettle', vendor: 'Kettles' },
  { id: '114', title: 'Popular cosy', vendor: 'Cosies' },
  { id: '115', title: 'Newest napkin', vendor: 'Linens' },
];

const CUSTOMER = '5551234';

function listsFor(customerKey: string): ServingLists {
  return {
    trending: ['113', '103'],
    popular: ['114', '113', '102'],
    product: {
      '101': ['102', '106', '107', '108', '109', '103', '104', '105', '110'],
      '102': ['101', '104'],
      '104': ['105', '111'],
      '111': ['112', '110', '101'],
    },
    cart: {
      '101': ['102', '103', '104'],
      '102': ['104', '105', '101'],
    },
    for_you: { [customerKey]: ['105', '103', '113', '110'] },
    history: { [customerKey]: ['102', '101'] },
  };
}

describe.each(BACKENDS)('GET /proxy/recommendations through the real app (Redis, %s)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let app: Awaited<ReturnType<typeof startProxyApp>>;
  const clock = { now: T0 };
  let customerKey: string;

  const get = async (params: Record<string, string>, options: { customer?: string; nowMs?: number; secret?: string; shop?: string } = {}) =>
    proxyGet(app.url, { shop: options.shop ?? SHOP, params, nowMs: options.nowMs ?? clock.now, customer: options.customer, secret: options.secret });
  const answer = async (params: Record<string, string>, options: { customer?: string } = {}): Promise<Answer> => {
    const res = await get(params, options);
    expect(res.status).toBe(200);
    return res.json() as Answer;
  };
  const ids = (a: Answer) => a.products.map((p) => p.id);
  const publish = async (lists: ServingLists, version = '7') => {
    await writeVersionLists({ redis: runtime.redis, prefix: runtime.config.queuePrefix, shop: SHOP, version, lists, now: clock.now });
    await switchServing({ redis: runtime.redis, prefix: runtime.config.queuePrefix, shop: SHOP, version });
  };

  beforeAll(async () => {
    runtime = await testRuntime({ backend: backend as 'pglite' | 'postgres', config: { STOREFRONT_CACHE_SECONDS: '30', STOREFRONT_MAX_PER_VENDOR: '2' } });
  });
  afterAll(() => runtime.close());

  beforeEach(async () => {
    clock.now = T0;
    SHOP = `reco-${++shops}.myshopify.com`;
    await insertShop(runtime.db, SHOP, 'EUR');
    await insertProducts(runtime.db, SHOP, CATALOG);
    await runtime.db
      .insertInto('product_variants')
      .values([
        { shop: SHOP, id: '9002', product_id: '102', price: '30.00', available: false, position: 1 },
        { shop: SHOP, id: '9003', product_id: '102', price: '31.00', available: true, position: 3 },
        { shop: SHOP, id: '9004', product_id: '102', price: '32.00', available: true, position: 2 },
      ])
      .execute();
    customerKey = customerPseudonym(runtime.config.customerIdKey, SHOP, CUSTOMER);
    app = await startProxyApp(runtime, clock);
  });
  afterEach(() => app.close());

  it('answers 401 to a bad or stale signature and 400 with the parameter named to bad input, never 500', async () => {
    const forged = await get({ placement: 'fbt', product_id: '101' }, { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    expect(forged.json()).toEqual({ error: 'unauthorized', reason: 'invalid_signature' });
    const stale = await get({ placement: 'fbt', product_id: '101' }, { nowMs: clock.now - 91_000 });
    expect(stale.json()).toEqual({ error: 'unauthorized', reason: 'stale_timestamp' });
    // A shopper's own `shop` and customer id ahead of Shopify's: validly signed, still refused.
    const crafted = signProxyQuery(
      [['placement', 'for_you'], ['shop', SHOP], ['logged_in_customer_id', '42'], ['shop', 'attacker.myshopify.com'], ['logged_in_customer_id', ''], ['path_prefix', '/apps/shelfwise']],
      TEST_SECRET,
      Math.floor(clock.now / 1000),
    );
    const hijack = await fetch(`${app.url}/proxy/recommendations?${crafted}`);
    expect(hijack.status).toBe(401);
    expect(await hijack.json()).toEqual({ error: 'unauthorized', reason: 'repeated_parameter' });
    // Unknown paths say nothing to an unsigned request either; signed, they are 404.
    expect((await fetch(`${app.url}/proxy/nothing-here?shop=${SHOP}`)).status).toBe(401);
    const signed = signProxyQuery([['shop', SHOP], ['logged_in_customer_id', ''], ['path_prefix', '/apps/shelfwise']], TEST_SECRET, Math.floor(clock.now / 1000));
    expect((await fetch(`${app.url}/proxy/nothing-here?${signed}`)).status).toBe(404);
    // The sponsored slot takes the same query: a missing placement is a 400 that names it.
    const noPlacement = await fetch(`${app.url}/proxy/sponsored?${signed}`);
    expect(noPlacement.status).toBe(400);
    expect(JSON.stringify(await noPlacement.json())).toMatch(/placement/);

    const bad: Array<[Record<string, string>, string, RegExp]> = [
      [{ placement: 'fbt' }, 'product_id', /required for placement fbt/],
      [{ placement: 'related', product_id: '' }, 'product_id', /product id|required/],
      [{}, 'placement', /placement is required/],
      [{ placement: 'shelf' }, 'placement', /related, fbt, for_you, cart/],
      [{ placement: 'cart', limit: '0' }, 'limit', /1 to 20/],
      [{ placement: 'cart', limit: '21' }, 'limit', /1 to 20/],
      [{ placement: 'cart', limit: 'four' }, 'limit', /1 to 20/],
      [{ placement: 'cart', max_per_vendor: '-1' }, 'max_per_vendor', /1 to 20/],
      [{ placement: 'cart', cart: '101,<b>' }, 'cart', /not a product id/],
      [{ placement: 'for_you', format: 'xml' }, 'format', /json or liquid/],
    ];
    for (const [params, param, message] of bad) {
      const res = await get(params);
      expect([res.status, params]).toEqual([400, params]);
      const body = res.json() as { error: string; issues: Array<{ param: string; message: string }> };
      expect(body.error).toBe('bad_request');
      expect(body.issues.find((i) => i.param === param)?.message).toMatch(message);
    }
    // A page with many blocks may send more ids than are read: the first 50 count, the block still fills.
    const long = await get({ placement: 'fbt', product_id: '101', limit: '2', exclude: ['102', ...Array.from({ length: 60 }, (_, i) => String(900 + i)), '104'].join(',') });
    expect(long.status).toBe(200);
    expect(ids(long.json() as Answer)).not.toContain('102');
    expect((long.json() as Answer).products).toHaveLength(2);
    // A repeated parameter is refused, not crashed on.
    const repeated = await fetch(`${app.url}/proxy/recommendations?${signProxyQuery([['shop', SHOP], ['placement', 'cart'], ['limit', '2'], ['limit', '3']], TEST_SECRET, Math.floor(clock.now / 1000))}`);
    expect(repeated.status).toBe(400);
    expect(((await repeated.json()) as { issues: Array<{ param: string; message: string }> }).issues).toEqual([{ param: 'limit', message: 'limit must be given once' }]);
  });

  it('fbt: the product list in order, unshowable products filtered, cards, reasons and tokens that verify', async () => {
    await publish(listsFor(customerKey));
    const res = await get({ placement: 'fbt', product_id: '101', limit: '3', exclude: '103' });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/json/);
    const a = res.json() as Answer;
    expect(a).toMatchObject({ placement: 'fbt', model_version: '7', source: 'list' });
    expect(a.impression_id).toMatch(/^[0-9A-Za-z_-]{12}$/);
    // 106-109 are sold out, draft, unpublished, deleted; 103 excluded by the page.
    expect(ids(a)).toEqual(['102', '104', '105']);
    expect(a.products[0]).toEqual({
      id: '102',
      handle: 'product-102',
      title: 'Blue teapot',
      vendor: 'Potter',
      url: '/products/product-102',
      image: 'https://cdn.example/102.jpg',
      // The price of the variant the card's button adds, not the product's stored lowest price (12.50).
      price_minor: 3200,
      currency: 'EUR',
      // The first available variant by position.
      variant_id: '9004',
      reason: 'Often bought with White mug',
      token: expect.any(String),
      sponsored: false,
    });
    a.products.forEach((p, position) => {
      const check = verifyRecommendationToken(app.tokenKey, SHOP, p.token, { nowSeconds: clock.now / 1000 });
      expect(check).toEqual({ ok: true, token: { impressionId: a.impression_id, placement: 'fbt', productId: p.id, position, modelVersion: '7', sponsored: false, issuedAt: clock.now / 1000 } });
      expect(verifyRecommendationToken(app.tokenKey, 'other.myshopify.com', p.token, { nowSeconds: clock.now / 1000 }).ok).toBe(false);
    });
    const again = await answer({ placement: 'fbt', product_id: '101', limit: '3', exclude: '103' });
    expect(again.impression_id).not.toBe(a.impression_id);
  });

  it('related re-ranks the same list toward look-alikes of the page product; fbt keeps the co-purchase order', async () => {
    await publish(listsFor(customerKey));
    const fbt = await answer({ placement: 'fbt', product_id: '101', limit: '2' });
    const related = await answer({ placement: 'related', product_id: '101', limit: '2' });
    expect(ids(fbt)).toEqual(['102', '103']);
    // Same candidates; 110 (Acme, ceramic mug, like the page's 101) from the list's tail comes first,
    // the towel 103 (nothing like a mug) drops out for the teapot.
    expect(ids(related)).toEqual(['110', '102']);
    expect(related.products.every((p) => p.reason === 'Often bought with White mug')).toBe(true);
  });

  it('never more than max_per_vendor from one vendor while others can fill the block', async () => {
    await publish(listsFor(customerKey));
    // 111's list is all Acme (112, 110, 101): with at most 1 per vendor, the rest comes from the fallbacks.
    const capped = await answer({ placement: 'fbt', product_id: '111', limit: '3', max_per_vendor: '1' });
    expect(ids(capped)[0]).toBe('112');
    expect(capped.products.filter((p) => p.vendor === 'Acme')).toHaveLength(1);
    expect(capped.products.map((p) => p.reason).slice(1)).toEqual(['Trending now', 'Trending now']);
    // The server's STOREFRONT_MAX_PER_VENDOR (2) bounds what the block asks for.
    const asked = await answer({ placement: 'fbt', product_id: '111', limit: '3', max_per_vendor: '5' });
    expect(asked.products.filter((p) => p.vendor === 'Acme')).toHaveLength(2);
  });

  it('cart: the cart products’ lists merged, the cart never returned, reasons naming the cart product', async () => {
    await publish(listsFor(customerKey));
    const a = await answer({ placement: 'cart', cart: '101,102', limit: '3' });
    expect(ids(a)).toEqual(['104', '103', '105']);
    expect(a.products.map((p) => p.reason)).toEqual(['Often bought with Blue teapot', 'Often bought with White mug', 'Often bought with Blue teapot']);
    expect(a.source).toBe('list');
  });

  it('for_you: a customer’s own list, "Because you bought" only for products in a bought product’s list; a visitor’s recent views; else trending', async () => {
    await publish(listsFor(customerKey));
    const mine = await answer({ placement: 'for_you', limit: '4' }, { customer: CUSTOMER });
    expect(ids(mine)).toEqual(['105', '103', '113', '110']);
    // History: 102 (newest; its list 101, 104) then 101 (its list holds 103, 105, 110).
    expect(mine.products.map((p) => p.reason)).toEqual(['Because you bought White mug', 'Because you bought White mug', 'Picked for you', 'Because you bought White mug']);
    expect(mine.source).toBe('list');

    const visitor = await answer({ placement: 'for_you', limit: '2', recent: '104' });
    expect(ids(visitor)).toEqual(['105', '111']);
    expect(visitor.products.map((p) => p.reason)).toEqual(['Because you viewed Black mug', 'Because you viewed Black mug']);

    // A customer the model has not seen yet, no recent views: trending, then popular.
    const stranger = await answer({ placement: 'for_you', limit: '4' }, { customer: '42' });
    expect(stranger.source).toBe('trending');
    expect(ids(stranger)).toEqual(['113', '103', '114', '102']);
    expect(stranger.products.map((p) => p.reason)).toEqual(['Trending now', 'Trending now', 'Best seller', 'Best seller']);
  });

  it('fills down the chain: list → trending → popular → catalog (newest first); with nothing published, the catalog alone', async () => {
    const none = await answer({ placement: 'fbt', product_id: '101', limit: '3' });
    expect(none).toMatchObject({ model_version: null, source: 'catalog' });
    // Newest eligible first: 115, 114, 113 (the insert order gives the publication times).
    expect(ids(none)).toEqual(['115', '114', '113']);
    expect(none.products.every((p) => p.reason === 'New in store')).toBe(true);
    expect(verifyRecommendationToken(app.tokenKey, SHOP, none.products[0]!.token, { nowSeconds: clock.now / 1000 })).toMatchObject({ ok: true, token: { modelVersion: null } });

    await publish({ trending: ['113'], popular: ['114'], product: { '104': ['105'] }, cart: {}, for_you: {} });
    const chain = await answer({ placement: 'fbt', product_id: '104', limit: '4' });
    expect(ids(chain)).toEqual(['105', '113', '114', '115']);
    expect(chain.products.map((p) => p.reason)).toEqual(['Often bought with Black mug', 'Trending now', 'Best seller', 'New in store']);
    const tokens = chain.products.map((p) => verifyRecommendationToken(app.tokenKey, SHOP, p.token, { nowSeconds: clock.now / 1000 }));
    expect(tokens.map((t) => (t.ok ? t.token.modelVersion : 'bad'))).toEqual(['7', '7', '7', null]);

    // Always `limit` products while the catalog has them: 20 asked, 10 eligible besides the page product.
    const all = await answer({ placement: 'fbt', product_id: '104', limit: '20' });
    expect(new Set(ids(all))).toEqual(new Set(['101', '102', '103', '105', '110', '111', '112', '113', '114', '115']));
  });

  it('applies merchant rules: pin, exclude by collection, boost by vendor, per placement or everywhere', async () => {
    await publish(listsFor(customerKey));
    await runtime.db
      .insertInto('product_collections')
      .values([{ shop: SHOP, product_id: '104', collection_id: '777', collection_handle: 'black-friday' }])
      .execute();
    await runtime.db
      .insertInto('merchant_rules')
      .values([
        { shop: SHOP, id: 'r1', kind: 'pin', match: 'product', value: '114', placement: 'fbt', position: 1 },
        { shop: SHOP, id: 'r2', kind: 'exclude', match: 'collection', value: 'black-friday', placement: null },
        { shop: SHOP, id: 'r3', kind: 'boost', match: 'vendor', value: 'redware', placement: null, weight: 3 },
        { shop: SHOP, id: 'r4', kind: 'exclude', match: 'tag', value: 'LINEN', placement: 'related' },
      ])
      .execute();
    const fbt = await answer({ placement: 'fbt', product_id: '101', limit: '4' });
    // 105 (Redware) boosted to the top, 114 pinned at slot 1, 104 (in black-friday) gone.
    expect(ids(fbt)).toEqual(['105', '114', '102', '103']);
    const related = await answer({ placement: 'related', product_id: '101', limit: '4' });
    expect(ids(related)).not.toContain('104');
    expect(ids(related)).not.toContain('103');
    expect(ids(related)).not.toContain('114');
    const pinToken = verifyRecommendationToken(app.tokenKey, SHOP, fbt.products[1]!.token, { nowSeconds: clock.now / 1000 });
    expect(pinToken).toMatchObject({ ok: true, token: { productId: '114', position: 1 } });
  });

  it('serves the cached catalog until cacheMs has passed, then refreshes it in the background', async () => {
    await publish(listsFor(customerKey));
    expect(ids(await answer({ placement: 'fbt', product_id: '101', limit: '2' }))).toEqual(['102', '103']);
    await runtime.db.updateTable('products').set({ available: false }).where('shop', '=', SHOP).where('id', '=', '102').execute();
    await runtime.db.insertInto('merchant_rules').values({ shop: SHOP, id: 'x', kind: 'exclude', match: 'product', value: '103', placement: null }).execute();
    clock.now += 29_000;
    expect(ids(await answer({ placement: 'fbt', product_id: '101', limit: '2' }))).toEqual(['102', '103']);
    clock.now += 2_000;
    // Stale: this request is answered from the old catalog and starts the refresh.
    expect(ids(await answer({ placement: 'fbt', product_id: '101', limit: '2' }))).toEqual(['102', '103']);
    const fresh = await eventually(async () => {
      const a = await answer({ placement: 'fbt', product_id: '101', limit: '2' });
      return ids(a)[0] === '102' ? undefined : ids(a);
    });
    expect(fresh).toEqual(['104', '105']);
  });

  it('keeps the cached catalog while its revision is unchanged and reloads when a product version changes', async () => {
    await publish(listsFor(customerKey));
    const titleOf102 = async () => (await answer({ placement: 'fbt', product_id: '101', limit: '2' })).products.find((p) => p.id === '102')?.title;
    const original = await titleOf102();
    expect(original).toBeDefined();
    // The same version hash: what ingest never writes for a changed product. The catalog is not reloaded.
    await runtime.db.updateTable('products').set({ title: 'Renamed quietly' }).where('shop', '=', SHOP).where('id', '=', '102').execute();
    clock.now += 31_000;
    await answer({ placement: 'fbt', product_id: '101', limit: '2' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await titleOf102()).toBe(original);
    // A new version of the product, as ingest writes it: the next refresh reloads.
    await runtime.db.updateTable('products').set({ title: 'Green teapot', version_hash: 'h102-v2' }).where('shop', '=', SHOP).where('id', '=', '102').execute();
    clock.now += 31_000;
    await answer({ placement: 'fbt', product_id: '101', limit: '2' });
    expect(await eventually(async () => ((await titleOf102()) === 'Green teapot' ? 'Green teapot' : undefined))).toBe('Green teapot');
    // A deletion (a tombstone keeps its version hash) reloads too: the product leaves the block.
    await runtime.db.updateTable('products').set({ deleted_at: new Date(clock.now).toISOString() }).where('shop', '=', SHOP).where('id', '=', '102').execute();
    clock.now += 31_000;
    await answer({ placement: 'fbt', product_id: '101', limit: '2' });
    expect(await eventually(async () => ((await titleOf102()) === undefined ? 'gone' : undefined))).toBe('gone');
  });

  it('answers from the catalog when Redis fails, rather than failing the block', async () => {
    await publish(listsFor(customerKey));
    // The real connection with its script calls failing, as during a Redis failover.
    const faulty = createRedis(runtime.config.redisUrl, { name: 'faulty' });
    faulty.evalsha = (async () => {
      throw new Error('LOADING Redis is loading the dataset in memory');
    }) as never;
    const degraded = await startProxyApp(runtime, clock, { redis: faulty });
    try {
      const res = await proxyGet(degraded.url, { shop: SHOP, params: { placement: 'fbt', product_id: '101', limit: '2' }, nowMs: clock.now });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ model_version: null, source: 'catalog', products: [{ id: '115', reason: 'New in store' }, { id: '114' }] });
    } finally {
      await degraded.close();
      await faulty.quit();
    }
  });

  it('an unknown shop gets an empty list', async () => {
    const res = await get({ placement: 'for_you' }, { shop: 'nobody.myshopify.com' });
    expect(res.status).toBe(200);
    expect((res.json() as Answer).products).toEqual([]);
  });

  it('format=liquid: escaped card markup, prices through the theme’s money filter, links carrying the token', async () => {
    await runtime.db.updateTable('products').set({ title: 'Mug <script>alert(1)</script> {{ shop.name }}' }).where('shop', '=', SHOP).where('id', '=', '102').execute();
    await publish(listsFor(customerKey));
    const res = await get({ placement: 'fbt', product_id: '101', limit: '2', format: 'liquid' });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/liquid/);
    expect(res.text).not.toContain('<script>');
    expect(res.text).not.toContain('{{ shop.name }}');
    // Render it as the theme would, with a money filter in the shop's format.
    const liquid = new Liquid();
    liquid.registerFilter('money', (minor: number) => `€${(minor / 100).toFixed(2).replace('.', ',')}`);
    const html = await liquid.parseAndRender(res.text, { shop: { name: 'SECRET' } });
    expect(html).toContain('€12,50');
    expect(html).not.toContain('SECRET');
    expect(html).toContain('&lt;script&gt;');
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(hrefs).toHaveLength(2);
    expect(hrefs[0]).toMatch(/^\/products\/product-102\?sw_token=/);
    const token = new URL(hrefs[0]!, 'https://x').searchParams.get(TOKEN_URL_PARAM);
    expect(verifyRecommendationToken(app.tokenKey, SHOP, token, { nowSeconds: clock.now / 1000 })).toMatchObject({ ok: true, token: { productId: '102', placement: 'fbt', position: 0 } });
  });
});
