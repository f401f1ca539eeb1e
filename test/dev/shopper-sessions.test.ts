import { sql } from 'kysely';
import { recordInstall } from '../../app/auth';
import { startWebServer } from '../../app';
import { waitForIngestDrained } from '../../shared/cli/ingest-drain';
import { loadThroughWebhooks } from '../../shared/cli/load-through-webhooks';
import type { Db } from '../../shared/db';
import { runShopperSessions, waitForStorefrontEventsStored, SIMULATED_ORDER_NAME_PREFIX, VISITOR_NOTE_ATTRIBUTE, type ShopperSessionsSummary } from '../../shared/dev/shopper-sessions';
import { TOKEN_PROPERTY } from '../../shared/tracking';
import { startWorkers, type RunningWorkers } from '../../worker';
import { runTraining } from '../../worker/train';
import { FIRST_5000_GZ } from '../shared/catalog-csv/fixtures';
import { eventually, testRuntime } from '../support/runtime';

const SHOP = 'sessions.myshopify.com';
const SEED = 4242;
const VISITORS = 150;
/** 20 %: a few dozen of the consenting visitors are held out. */
const HOLDOUT_SHARE_BP = 2_000;

/** What the store holds of the simulation's traffic: the figures reports are built from. */
async function stored(db: Db) {
  const one = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows[0]!;
  const prefix = `${SIMULATED_ORDER_NAME_PREFIX}%`;
  return {
    orders: await one<{ n: number; cancelled: number }>(sql`select count(*)::int as n, count(cancelled_at)::int as cancelled from orders where shop = ${SHOP} and name like ${prefix}`),
    refunds: await one<{ n: number }>(sql`select count(*)::int as n from refunds r join orders o on o.shop = r.shop and o.id = r.order_id where r.shop = ${SHOP} and o.name like ${prefix}`),
    tokenLines: await one<{ n: number; live: number }>(sql`
      select count(*)::int as n, count(*) filter (where o.cancelled_at is null)::int as live
      from order_line_items li join orders o on o.shop = li.shop and o.id = li.order_id
      where li.shop = ${SHOP} and o.name like ${prefix} and li.properties::text like ${`%${TOKEN_PROPERTY}%`}`),
    visitorLinked: await one<{ n: number }>(sql`select count(*)::int as n from orders where shop = ${SHOP} and name like ${prefix} and note_attributes::text like ${`%${VISITOR_NOTE_ATTRIBUTE}%`}`),
    credits: await one<{ n: number; property: number; guests: number; sponsored: number; net: number }>(sql`
      select count(*)::int as n, count(*) filter (where a.source = 'property')::int as property,
        count(*) filter (where a.source <> 'property' and o.customer_key is null)::int as guests,
        count(*) filter (where a.sponsored)::int as sponsored, coalesce(sum(a.net_minor), 0)::int as net
      from order_attributions a join orders o on o.shop = a.shop and o.id = a.order_id where a.shop = ${SHOP}`),
    counted: (await sql<{ type: string; n: number }>`select type, sum(count)::int as n from storefront_event_counts where shop = ${SHOP} group by type order by type`.execute(db)).rows,
    eventRows: await one<{ n: number; sponsoredClicks: number }>(sql`select count(*)::int as n, count(*) filter (where type = 'click' and sponsored)::int as "sponsoredClicks" from storefront_events where shop = ${SHOP}`),
    ledger: await one<{ n: number; charged: number; amount: number }>(sql`select count(*)::int as n, count(*) filter (where status = 'charged')::int as charged, coalesce(sum(amount_minor), 0)::int as amount from sponsored_ledger where shop = ${SHOP}`),
    campaigns: await one<{ n: number }>(sql`select count(*)::int as n from sponsored_campaigns where shop = ${SHOP}`),
    exposures: (await sql<{ grp: string; n: number }>`select grp, count(distinct visitor_key)::int as n from holdout_exposures where shop = ${SHOP} group by grp order by grp`.execute(db)).rows,
  };
}

describe.each(['pglite', 'postgres'] as const)('shopper sessions against the running app and worker (%s, real Redis)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: { url: string; close(): Promise<void> };
  let workers: RunningWorkers;

  beforeAll(async () => {
    runtime = await testRuntime({ backend });
    server = await startWebServer(runtime, { port: 0 });
    workers = await startWorkers(runtime, { concurrency: 4 });
    await recordInstall(runtime.db, { shop: SHOP, scope: 'read_products,read_orders', currency: 'GBP', at: new Date() });
    // The demo's store: the CSV's first rows as signed webhooks, then the published lists.
    const load = await loadThroughWebhooks({ runtime, webUrl: server.url, csv: FIRST_5000_GZ, shop: SHOP, limit: 1500 });
    expect(load.failedJobs).toEqual([]);
    await runTraining({ db: runtime.db, redis: runtime.redis, prefix: runtime.config.queuePrefix, shop: SHOP, logger: runtime.logger });
  }, 300_000);
  afterAll(async () => {
    await workers?.close();
    await server?.close();
    await runtime?.close();
  });

  const run = async (): Promise<ShopperSessionsSummary> => {
    const result = await runShopperSessions({ baseUrl: server.url, shop: SHOP, apiSecret: runtime.config.shopify.apiSecret, apiVersion: runtime.config.shopify.apiVersion, db: runtime.db, visitors: VISITORS, seed: SEED, holdoutShareBp: HOLDOUT_SHARE_BP });
    if (!result.ok) throw new Error(`not run: ${result.reason}`);
    await waitForIngestDrained({ redis: runtime.redis, queuePrefix: runtime.config.queuePrefix, timeoutMs: 120_000 });
    await waitForStorefrontEventsStored({ redis: runtime.redis, queuePrefix: runtime.config.queuePrefix, timeoutMs: 120_000 });
    return result.summary;
  };

  it('leaves events, credited orders and sponsored charges that match what it sent, and a rerun with the seed adds nothing', async () => {
    const first = await run();
    expect(first.failures).toEqual([]);
    expect(first.eventsRejected).toEqual({});
    expect(first.rateLimited).toBe(0);
    expect(first.webhooks.failed).toBe(0);
    expect(first.visitors).toBe(VISITORS);
    expect(first.campaigns.created).toBeGreaterThanOrEqual(2);
    // Enough traffic that every report has something to show.
    expect(first.ordersWithRecommendations).toBeGreaterThan(0);
    expect(first.ordersWithoutRecommendations).toBeGreaterThan(0);
    expect(first.sponsoredClicks).toBeGreaterThan(0);
    expect(first.refunds + first.cancellations).toBeGreaterThan(0);

    // Exposures are written after each answer, in the background.
    await eventually(async () => {
      const { rows } = await sql<{ n: number }>`select count(distinct visitor_key)::int as n from holdout_exposures where shop = ${SHOP}`.execute(runtime.db);
      return rows[0]!.n >= first.consentingVisitors ? true : undefined;
    });
    const after = await stored(runtime.db);
    expect(after.orders).toEqual({ n: first.orders, cancelled: first.cancellations });
    // A cancellation lists its full refund; a refund is one refunds/create.
    expect(after.refunds.n).toBe(first.refunds + first.cancellations);
    expect(after.visitorLinked.n).toBe(first.visitorLinkedOrders);
    expect(first.visitorLinkedOrders).toBeLessThan(first.orders);
    // Consenting visitors send their id, and each is exposed once, in its group; held-out ones saw no card.
    expect(first.holdoutVisitors).toBeGreaterThan(0);
    expect(Object.fromEntries(after.exposures.map((r) => [r.grp, r.n]))).toEqual({ holdout: first.holdoutVisitors, treatment: first.consentingVisitors - first.holdoutVisitors });
    expect(after.tokenLines.n).toBe(first.tokenLines);
    // Every tokened line of an order still standing is credited by its property; cancelled ones are
    // not. Other credits (a logged-in shopper's earlier click on a product it later bought) need a customer.
    expect(after.credits.property).toBe(after.tokenLines.live);
    expect(after.credits.property).toBeGreaterThan(0);
    expect(after.credits.guests).toBe(0);
    expect(after.credits.net).toBeGreaterThan(0);
    // Every accepted event is counted (consented or not), each once.
    const byType = Object.fromEntries(after.counted.map((r) => [r.type, r.n]));
    expect(byType).toEqual({ add_to_cart: first.addToCarts, click: first.clicks, impression: first.impressions });
    expect(first.eventsAccepted).toBe(first.addToCarts + first.clicks + first.impressions);
    // Each sponsored click is considered for a charge once (charged, or recorded with its reason).
    expect(after.ledger.n).toBe(first.sponsoredClicks);
    expect(after.ledger.charged).toBeGreaterThan(0);
    expect(after.ledger.amount).toBeGreaterThan(0);
    expect(after.eventRows.n).toBeGreaterThan(0);

    const second = await run();
    // The same orders, refunds and cancellations again, answered as duplicates (vendors are not sent twice).
    expect(second.webhooks).toEqual({ accepted: 0, duplicates: first.orders + first.refunds + first.cancellations, failed: 0 });
    expect(second.campaigns).toEqual({ created: 0, existing: first.campaigns.created, vendors: first.campaigns.vendors });
    expect(second.orders).toBe(first.orders);
    expect(await stored(runtime.db)).toEqual(after);
  }, 300_000);
});
