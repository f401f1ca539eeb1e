import { startWebServer } from '../../../app';
import { productNode, sampleCatalog, startShopifyStandin, StandinState, type ShopifyStandin } from '../../../shared/dev/shopify-standin';
import { openQueue, QUEUE } from '../../../shared/queue';
import { startWorkers, type RunningWorkers } from '../../../worker';
import { reconcileSchedulerId } from '../../../worker/sync';
import { TEST_SECRET } from '../../support/config';
import { eventually, testRuntime } from '../../support/runtime';
import { freePort } from '../../dev/support/free-port';
import { installThroughOAuth } from '../../dev/support/oauth-install';

const SHOP = 'lifecycle.myshopify.com';

/**
 * Install → sync → uninstall → reinstall, through the real web process, the real workers, the
 * stand-in over HTTP, Redis and PostgreSQL. Nothing is seeded by hand but the stand-in's shop.
 */
describe('install, uninstall and reinstall', () => {
  let standin: ShopifyStandin;
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: Awaited<ReturnType<typeof startWebServer>>;
  let workers: RunningWorkers;
  let appUrl: string;

  beforeAll(async () => {
    const state = new StandinState();
    state.addShop(SHOP, { currencyCode: 'GBP', ...sampleCatalog('GBP') });
    standin = await startShopifyStandin({ apiSecret: TEST_SECRET, apiKey: 'test-api-key', state, pollsUntilComplete: 2 });
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    runtime = await testRuntime({ backend: 'postgres', config: { SHOPIFY_APP_URL: appUrl, SHOPIFY_ADMIN_API_ORIGIN: standin.url } });
    server = await startWebServer(runtime, { port });
    workers = await startWorkers(runtime);
  });

  afterAll(async () => {
    await server.close();
    await workers.close();
    await runtime.close();
    await standin.close();
  });

  const productIds = async () =>
    (await runtime.db.selectFrom('products').select('id').where('shop', '=', SHOP).orderBy('id').execute()).map((r) => r.id);

  it('syncs after install, stops on uninstall and resumes on reinstall', async () => {
    const sync = openQueue(QUEUE.sync, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
    try {
      expect((await installThroughOAuth({ appUrl, standinUrl: standin.url, shop: SHOP })).status).toBe(302);
      await eventually(async () => ((await productIds()).length === 3 ? true : undefined), 20_000);
      await eventually(async () => ((await sync.getJobScheduler(reconcileSchedulerId(SHOP))) ? true : undefined));
      const firstInstall = await runtime.db.selectFrom('shops').selectAll().where('domain', '=', SHOP).executeTakeFirstOrThrow();

      // The merchant uninstalls: Shopify revokes the token and delivers app/uninstalled.
      await standin.uninstall(SHOP);
      expect(standin.state.deliveries.filter((d) => d.topic === 'app/uninstalled').map((d) => d.status)).toEqual([200]);
      await eventually(async () => {
        const shop = await runtime.db.selectFrom('shops').select('active').where('domain', '=', SHOP).executeTakeFirst();
        return shop?.active === false ? true : undefined;
      });
      // The ingest worker's uninstall hook stops the shop's reconcile schedule.
      await eventually(async () => ((await sync.getJobScheduler(reconcileSchedulerId(SHOP))) ? undefined : true));

      // While uninstalled the catalog grew; reinstalling brings it in.
      standin.state.shop(SHOP).products.push(
        productNode({ id: 104, title: 'Oak Board', updatedAt: '2024-05-01T10:00:00Z', variants: [{ id: 1041, price: '18.00', inventoryQuantity: 3 }] }),
      );
      expect((await installThroughOAuth({ appUrl, standinUrl: standin.url, shop: SHOP })).status).toBe(302);
      const reinstalled = await runtime.db.selectFrom('shops').selectAll().where('domain', '=', SHOP).executeTakeFirstOrThrow();
      expect(reinstalled.active).toBe(true);
      expect(reinstalled.installed_at!.getTime()).toBeGreaterThan(firstInstall.installed_at!.getTime());
      await eventually(async () => ((await productIds()).length === 4 ? true : undefined), 20_000);
      expect(await productIds()).toEqual(['101', '102', '103', '104']);
      await eventually(async () => ((await sync.getJobScheduler(reconcileSchedulerId(SHOP))) ? true : undefined));
      expect(standin.state.shop(SHOP).webhookSubscriptions).toHaveLength(10);
    } finally {
      await sync.close();
    }
  });
});
