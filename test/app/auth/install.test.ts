import { sql } from 'kysely';
import { startWebServer } from '../../../app';
import { DbSessionStorage } from '../../../app/auth';
import { TokenCipher } from '../../../shared/crypto';
import { sampleCatalog, startShopifyStandin, StandinState, type ShopifyStandin } from '../../../shared/dev/shopify-standin';
import { jobId, openQueue, QUEUE } from '../../../shared/queue';
import { TEST_SECRET } from '../../support/config';
import { testRuntime } from '../../support/runtime';
import { freePort } from '../../dev/support/free-port';
import { installThroughOAuth } from '../../dev/support/oauth-install';

const SHOP = 'install-test.myshopify.com';

describe.each(['pglite', 'postgres'] as const)('OAuth install against the stand-in (%s)', (backend) => {
  let standin: ShopifyStandin;
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: Awaited<ReturnType<typeof startWebServer>>;
  let appUrl: string;

  beforeEach(async () => {
    const state = new StandinState();
    state.addShop(SHOP, { currencyCode: 'EUR', name: 'Install Test', ...sampleCatalog('EUR') });
    standin = await startShopifyStandin({ apiSecret: TEST_SECRET, apiKey: 'test-api-key', state });
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    runtime = await testRuntime({ backend, config: { SHOPIFY_APP_URL: appUrl, SHOPIFY_ADMIN_API_ORIGIN: standin.url } });
    server = await startWebServer(runtime, { port });
  });

  afterEach(async () => {
    await server.close();
    await runtime.close();
    await standin.close();
  });

  it('installs: session sealed, shop active with its currency, webhooks registered, sync enqueued', async () => {
    const outcome = await installThroughOAuth({ appUrl, standinUrl: standin.url, shop: SHOP });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe('https://admin.shopify.com/store/install-test/apps/test-api-key');

    const [token, grant] = [...standin.state.accessTokens][0]!;
    expect(grant.shop).toBe(SHOP);
    const raw = await runtime.db.selectFrom('shopify_sessions').selectAll().where('shop', '=', SHOP).execute();
    expect(raw).toHaveLength(1);
    expect(raw[0]!.id).toBe(`offline_${SHOP}`);
    expect(raw[0]!.access_token_enc).not.toContain(token);
    const dump = await sql<{ t: string }>`select row_to_json(s)::text as t from shopify_sessions s`.execute(runtime.db);
    expect(dump.rows[0]!.t).not.toContain(token.slice(6));
    const storage = new DbSessionStorage(runtime.db, new TokenCipher(runtime.config.tokenEncryptionKey));
    expect((await storage.loadSession(`offline_${SHOP}`))?.accessToken).toBe(token);

    const shop = await runtime.db.selectFrom('shops').selectAll().where('domain', '=', SHOP).executeTakeFirstOrThrow();
    expect(shop).toMatchObject({ active: true, currency: 'EUR', scope: 'read_products,read_orders,read_all_orders,write_app_proxy' });
    expect(shop.installed_at).toBeInstanceOf(Date);

    const subscriptions = standin.state.shop(SHOP).webhookSubscriptions;
    expect(subscriptions.map((s) => s.topic).sort()).toEqual([
      'APP_UNINSTALLED',
      'BULK_OPERATIONS_FINISH',
      'ORDERS_CANCELLED',
      'ORDERS_CREATE',
      'ORDERS_PAID',
      'ORDERS_UPDATED',
      'PRODUCTS_CREATE',
      'PRODUCTS_DELETE',
      'PRODUCTS_UPDATE',
      'REFUNDS_CREATE',
    ]);
    expect(new Set(subscriptions.map((s) => s.endpoint.callbackUrl))).toEqual(new Set([`${appUrl}/webhooks`]));

    const queue = openQueue(QUEUE.sync, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
    try {
      const jobs = await queue.getJobs(['waiting']);
      expect(jobs.map((j) => [j.id, j.data])).toEqual([
        [
          jobId('sync', SHOP, 'install', String(shop.installed_at!.getTime())),
          { shop: SHOP, reason: 'install', resources: ['products', 'orders'] },
        ],
      ]);
    } finally {
      await queue.close();
    }
  });

  it('refuses a callback whose signature does not match, storing nothing', async () => {
    // Another secret signs the stand-in's redirect: the app must reject it.
    await standin.close();
    standin = await startShopifyStandin({ apiSecret: 'someone-else', state: (() => {
      const s = new StandinState();
      s.addShop(SHOP);
      return s;
    })() });
    const outcome = await installThroughOAuth({ appUrl, standinUrl: standin.url, shop: SHOP });
    expect(outcome.status).toBe(400);
    expect(await runtime.db.selectFrom('shopify_sessions').selectAll().execute()).toEqual([]);
    expect(await runtime.db.selectFrom('shops').selectAll().execute()).toEqual([]);
  });

  it('re-running OAuth on an installed shop keeps one subscription per topic and one sync job', async () => {
    await installThroughOAuth({ appUrl, standinUrl: standin.url, shop: SHOP });
    const again = await installThroughOAuth({ appUrl, standinUrl: standin.url, shop: SHOP });
    expect(again.status).toBe(302);
    expect(standin.state.shop(SHOP).webhookSubscriptions).toHaveLength(10);
    const queue = openQueue(QUEUE.sync, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
    try {
      expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    } finally {
      await queue.close();
    }
  });
});
