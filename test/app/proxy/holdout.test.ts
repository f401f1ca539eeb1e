import { customerPseudonym } from '../../../shared/crypto';
import { holdoutGroup, setHoldoutShare } from '../../../shared/holdout';
import { BACKENDS } from '../../support/databases';
import { eventually, testRuntime } from '../../support/runtime';
import { insertProducts, insertShop, proxyGet, startProxyApp, type Answer } from './recommendations/storefront-fixtures';

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const DAY = 86_400_000;
let shops = 0;

describe.each(BACKENDS)('the holdout through the real app proxy (Redis, %s)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let app: Awaited<ReturnType<typeof startProxyApp>>;
  const clock = { now: T0 };
  let shop: string;

  const get = (params: Record<string, string>, path: 'recommendations' | 'sponsored' = 'recommendations') => proxyGet(app.url, { shop, params, nowMs: clock.now, path });
  const key = (visitor: string) => customerPseudonym(runtime.config.customerIdKey, shop, `visitor:${visitor}`);
  /** A visitor id of the group, found by the documented rule, not by asking the app. */
  const visitorIn = (group: 'holdout' | 'treatment', shareBp: number, skip = 0) => {
    for (let i = 0, found = 0; ; i++) {
      const id = `visitor${i}abc`;
      if (holdoutGroup(shop, key(id), shareBp) === group && found++ === skip) return id;
    }
  };
  const exposures = () => runtime.db.selectFrom('holdout_exposures').selectAll().where('shop', '=', shop).orderBy('day').orderBy('grp').execute();

  beforeAll(async () => {
    runtime = await testRuntime({ backend: backend as 'pglite' | 'postgres', config: { STOREFRONT_CACHE_SECONDS: '30' } });
  });
  afterAll(() => runtime.close());

  beforeEach(async () => {
    clock.now = T0;
    shop = `holdout-${++shops}.myshopify.com`;
    await insertShop(runtime.db, shop, 'EUR');
    await insertProducts(runtime.db, shop, [{ id: '201' }, { id: '202' }, { id: '203' }, { id: '204' }]);
    app = await startProxyApp(runtime, clock);
  });
  afterEach(() => app.close());

  it('hides the blocks of a held-out visitor, every time, and shows them to a treatment visitor and to one without an id', async () => {
    // The default share (5 %): the shop has no settings row.
    const held = visitorIn('holdout', 500);
    const shown = visitorIn('treatment', 500);
    for (let i = 0; i < 3; i++) {
      const hidden = await get({ placement: 'for_you', visitor: held });
      expect(hidden.status).toBe(200);
      expect(hidden.json()).toEqual({ products: [], holdout: true });
      const answer = (await get({ placement: 'for_you', visitor: shown })).json() as Answer & { holdout?: boolean };
      expect(answer.products.length).toBeGreaterThan(0);
      expect(answer.holdout).toBeUndefined();
    }
    // The Sponsored products block and the Liquid answer are hidden too.
    expect((await get({ placement: 'for_you', visitor: held }, 'sponsored')).json()).toEqual({ products: [], holdout: true });
    const liquid = await get({ placement: 'for_you', visitor: held, format: 'liquid' });
    expect([liquid.status, liquid.text]).toEqual([200, '']);
    expect((await get({ placement: 'for_you', visitor: shown, format: 'liquid' })).text).toMatch(/shelfwise-card/);
    // Without a visitor id (no analytics consent) the visitor is in neither group: blocks show.
    expect(((await get({ placement: 'for_you' })).json() as Answer).products.length).toBeGreaterThan(0);
    // A malformed id is refused like the events endpoint's, naming the parameter.
    const bad = await get({ placement: 'for_you', visitor: 'short' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json())).toMatch(/"param":"visitor"/);
  });

  it('records one exposure per visitor and UTC day in both groups, at the same point', async () => {
    const held = visitorIn('holdout', 500);
    const shown = visitorIn('treatment', 500);
    for (let i = 0; i < 3; i++) {
      await get({ placement: 'for_you', visitor: held });
      await get({ placement: 'cart', visitor: shown });
    }
    await get({ placement: 'for_you' });
    const today = await eventually(async () => {
      const rows = await exposures();
      return rows.length >= 2 ? rows : undefined;
    });
    expect(today.map((r) => [r.day, r.grp, r.visitor_key])).toEqual([
      ['2026-11-28', 'holdout', key(held)],
      ['2026-11-28', 'treatment', key(shown)],
    ]);
    expect(new Date(today[0]!.first_seen_at).getTime()).toBe(T0);
    // The next UTC day: one more row each, still one per day.
    clock.now = T0 + DAY;
    for (let i = 0; i < 2; i++) {
      await get({ placement: 'for_you', visitor: held });
      await get({ placement: 'for_you', visitor: shown }, 'sponsored');
    }
    const both = await eventually(async () => {
      const rows = await exposures();
      return rows.length >= 4 ? rows : undefined;
    });
    // Give a stray duplicate the time to land before counting.
    await new Promise((r) => setTimeout(r, 200));
    expect((await exposures()).map((r) => [r.day, r.grp])).toEqual([
      ['2026-11-28', 'holdout'],
      ['2026-11-28', 'treatment'],
      ['2026-11-29', 'holdout'],
      ['2026-11-29', 'treatment'],
    ]);
    expect(both.length).toBe(4);
  });

  it('follows the shop share: at 50 % about half are held out; at 0 nobody is and nothing is recorded', async () => {
    await setHoldoutShare(runtime.db, shop, 5000);
    let hidden = 0;
    for (let i = 0; i < 40; i++) {
      const id = `many${i}visitor`;
      const answer = (await get({ placement: 'for_you', visitor: id })).json() as { holdout?: boolean };
      expect(answer.holdout === true).toBe(holdoutGroup(shop, key(id), 5000) === 'holdout');
      if (answer.holdout) hidden++;
    }
    expect(hidden).toBeGreaterThan(5);
    expect(hidden).toBeLessThan(35);
    await eventually(async () => ((await exposures()).length === 40 ? true : undefined));

    shop = `holdout-${++shops}.myshopify.com`;
    await insertShop(runtime.db, shop, 'EUR');
    await insertProducts(runtime.db, shop, [{ id: '201' }]);
    await setHoldoutShare(runtime.db, shop, 0);
    const wouldBeHeld = visitorIn('holdout', 5000);
    expect(((await get({ placement: 'for_you', visitor: wouldBeHeld })).json() as Answer).products.map((p) => p.id)).toEqual(['201']);
    await new Promise((r) => setTimeout(r, 200));
    expect(await exposures()).toEqual([]);
  });
});
