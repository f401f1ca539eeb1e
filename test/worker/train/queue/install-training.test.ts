import type { Job } from 'bullmq';
import { startWebServer } from '../../../../app';
import { sampleCatalog, startShopifyStandin, StandinState, type ShopifyStandin } from '../../../../shared/dev/shopify-standin';
import { openQueue, QUEUE } from '../../../../shared/queue';
import { startWorkers, type RunningWorkers } from '../../../../worker';
import { servingVersion } from '../../../../worker/train';
import { trainSchedulerId } from '../../../../worker/train/queue';
import { freePort } from '../../../dev/support/free-port';
import { installThroughOAuth } from '../../../dev/support/oauth-install';
import { TEST_SECRET } from '../../../support/config';
import { eventually, testRuntime } from '../../../support/runtime';

const SHOP = 'first-train.myshopify.com';

/**
 * Install → first sync → first training, through the real web process, the real workers and the
 * stand-in over HTTP; uninstall stops the training schedule.
 */
describe('training after install', () => {
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
    runtime = await testRuntime({ backend: 'pglite', config: { SHOPIFY_APP_URL: appUrl, SHOPIFY_ADMIN_API_ORIGIN: standin.url } });
    server = await startWebServer(runtime, { port });
    workers = await startWorkers(runtime);
  });

  afterAll(async () => {
    await server.close();
    await workers.close();
    await runtime.close();
    await standin.close();
  });

  it('schedules the shop’s training and runs it once the first sync is done; uninstall stops the schedule', async () => {
    const train = openQueue(QUEUE.train, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
    try {
      expect((await installThroughOAuth({ appUrl, standinUrl: standin.url, shop: SHOP })).status).toBe(302);
      const scheduler = await eventually(async () => train.getJobScheduler(trainSchedulerId(SHOP)), 30_000);
      expect(scheduler).toMatchObject({ pattern: runtime.config.train.cron, template: { data: { shop: SHOP, reason: 'schedule' } } });

      const first = await eventually(
        async () => (await train.getJobs(['completed'])).find((j: Job) => j.name === 'train' && j.data.reason === 'install'),
        60_000,
      );
      // It ran on the synced store: the sample catalog has products but too few orders to learn from.
      const products = await runtime.db.selectFrom('products').select('id').where('shop', '=', SHOP).execute();
      expect(products.length).toBeGreaterThan(0);
      expect(first.returnvalue).toMatchObject({ ok: true, kind: 'run', shop: SHOP, outcome: 'not_enough_data' });
      expect(await servingVersion({ redis: runtime.redis, prefix: runtime.config.queuePrefix, shop: SHOP })).toBe(String(first.returnvalue.versionId));

      await standin.uninstall(SHOP);
      await eventually(async () => ((await train.getJobScheduler(trainSchedulerId(SHOP))) ? undefined : true));
    } finally {
      await train.close();
    }
  });
});
