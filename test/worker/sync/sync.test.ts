import type { Queue, Worker } from 'bullmq';
import { DbSessionStorage } from '../../../app/auth';
import { Session } from '@shopify/shopify-api';
import { customerPseudonym, TokenCipher } from '../../../shared/crypto';
import { collectionRecord, orderNode, sampleCatalog, startShopifyStandin, StandinState, type ShopifyStandin } from '../../../shared/dev/shopify-standin';
import { jobId, openQueue, QUEUE, syncJob } from '../../../shared/queue';
import { createRedis, type Redis } from '../../../shared/redis';
import { markShopUninstalled, upsertOrder, upsertProduct, type OrderRecord, type ProductRecord } from '../../../worker/store';
import {
  createSyncWorker,
  reconcileSchedulerId,
  replaceProductCollections,
  stopShopJobs,
  syncRunsOf,
  type ProductCollection,
} from '../../../worker/sync';
import { TEST_SECRET } from '../../support/config';
import { eventually, testRuntime } from '../../support/runtime';

const SHOP = 'sync-test.myshopify.com';

type Runtime = Awaited<ReturnType<typeof testRuntime>>;

/** Five more orders, so a failure can land in the middle of the orders file. */
function moreOrders() {
  return [6001, 6002, 6003, 6004, 6005].map((id, i) =>
    orderNode(
      {
        id,
        createdAt: `2024-04-0${i + 1}T08:00:00Z`,
        customerId: 80 + i,
        lineItems: [{ id: id * 10 + 1, productId: 102, variantId: 1021, title: 'Linen Apron', quantity: 1, price: '24.00' }],
      },
      'GBP',
    ),
  );
}

/** What an install leaves behind: an active shop and its sealed offline session. */
async function seedInstalledShop(runtime: Runtime, standin: ShopifyStandin) {
  const code = standin.state.issueCode(SHOP, 'read_products,read_orders');
  const { accessToken } = standin.state.redeemCode(code)!;
  const storage = new DbSessionStorage(runtime.db, new TokenCipher(runtime.config.tokenEncryptionKey));
  await storage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: 's', isOnline: false, accessToken, scope: 'read_products,read_orders' }));
  await runtime.db.insertInto('shops').values({ domain: SHOP, active: true, currency: 'GBP', installed_at: new Date() }).execute();
}

describe.each(['pglite', 'postgres'] as const)('sync worker against the stand-in (%s)', (backend) => {
  let standin: ShopifyStandin;
  let runtime: Runtime;
  let connection: Redis;
  let queue: Queue;
  let worker: Worker | undefined;
  const productCalls: string[] = [];
  const orderCalls: string[] = [];
  const collectionCalls: string[] = [];
  let failOrderCall: number | undefined;
  let failCollectionCall: number | undefined;

  /** The real store writers, wrapped to log ids and, when armed, fail one call once. */
  const store = {
    upsertProduct: async (db: Parameters<typeof upsertProduct>[0], record: ProductRecord) => {
      productCalls.push(record.id);
      return upsertProduct(db, record);
    },
    upsertOrder: async (db: Parameters<typeof upsertOrder>[0], record: OrderRecord) => {
      orderCalls.push(record.id);
      if (failOrderCall === orderCalls.length) {
        failOrderCall = undefined;
        throw new Error('injected: database went away');
      }
      return upsertOrder(db, record);
    },
    replaceProductCollections: async (
      db: Parameters<typeof replaceProductCollections>[0],
      write: { shop: string; productId: string; collections: ProductCollection[] },
    ) => {
      collectionCalls.push(write.productId);
      if (failCollectionCall === collectionCalls.length) {
        failCollectionCall = undefined;
        throw new Error('injected: database went away');
      }
      return replaceProductCollections(db, write);
    },
  };

  beforeEach(async () => {
    productCalls.length = 0;
    orderCalls.length = 0;
    collectionCalls.length = 0;
    failOrderCall = undefined;
    failCollectionCall = undefined;
    const state = new StandinState();
    const catalog = sampleCatalog('GBP');
    state.addShop(SHOP, {
      currencyCode: 'GBP',
      products: catalog.products,
      orders: [...catalog.orders, ...moreOrders()],
      collections: catalog.collections,
    });
    standin = await startShopifyStandin({ apiSecret: TEST_SECRET, state, pollsUntilComplete: 3 });
    runtime = await testRuntime({ backend, config: { SHOPIFY_ADMIN_API_ORIGIN: standin.url } });
    connection = createRedis(runtime.config.redisUrl, { forWorker: true });
    queue = openQueue(QUEUE.sync, { connection, prefix: runtime.config.queuePrefix });
    await seedInstalledShop(runtime, standin);
  });

  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await queue.close();
    await connection.quit();
    await runtime.close();
    await standin.close();
  });

  function startWorker() {
    worker = createSyncWorker({
      config: runtime.config,
      db: runtime.db,
      logger: runtime.logger,
      connection,
      overrides: { pollIntervalMs: 5, checkpointEvery: 1, store },
    });
    return worker;
  }

  async function runSync(reason: 'install' | 'reconcile' | 'manual' = 'install') {
    const job = await queue.add('sync', syncJob.parse({ shop: SHOP, reason }), {
      jobId: jobId('sync', SHOP, reason, String(Date.now())),
      attempts: 3,
      backoff: { type: 'fixed', delay: 20 },
    });
    startWorker();
    const state = await eventually(async () => {
      const s = await job.getState();
      return s === 'completed' || s === 'failed' ? s : undefined;
    }, 30_000);
    return { state, job: (await queue.getJob(job.id!))! };
  }

  it('pulls products with variants and orders with line items into the store', async () => {
    const { state, job } = await runSync();
    expect(state).toBe('completed');
    expect(job.returnvalue).toMatchObject({ ok: true, shop: SHOP });

    const products = await runtime.db.selectFrom('products').selectAll().where('shop', '=', SHOP).orderBy('id').execute();
    expect(products.map((p) => [p.id, p.title, p.status, p.available, p.vendor, p.min_price])).toEqual([
      ['101', 'Enamel Mug', 'active', true, 'Kiln & Co', '11.000000'],
      ['102', 'Linen Apron', 'active', true, 'Loom', '24.000000'],
      ['103', 'Draft Teapot', 'draft', false, 'Kiln & Co', '30.000000'],
    ]);
    expect(products[0]!.body_text).toBe('A sturdy mug & camp classic.');
    expect(products[0]!.tags).toEqual(['enamel', 'mug']);
    expect(products[0]!.image_url).toBe('https://cdn.example/mug.png');
    const variants = await runtime.db.selectFrom('product_variants').selectAll().where('shop', '=', SHOP).orderBy('id').execute();
    expect(variants.map((v) => [v.id, v.product_id, v.price, v.available, v.inventory_policy, v.inventory_management])).toEqual([
      ['1011', '101', '12.500000', true, 'deny', 'shopify'],
      ['1012', '101', '11.000000', false, 'deny', 'shopify'],
      ['1021', '102', '24.000000', true, 'continue', 'shopify'],
      ['1031', '103', '30.000000', true, 'deny', null],
    ]);

    const order = await runtime.db.selectFrom('orders').selectAll().where('shop', '=', SHOP).where('id', '=', '5001').executeTakeFirstOrThrow();
    expect(order).toMatchObject({
      currency: 'GBP',
      total_price_minor: 4500,
      subtotal_price_minor: 4900,
      total_discounts_minor: 400,
      financial_status: 'paid',
      customer_key: customerPseudonym(runtime.config.customerIdKey, SHOP, '77'),
      note_attributes: [{ name: 'source', value: 'newsletter' }],
    });
    const lines = await runtime.db.selectFrom('order_line_items').selectAll().where('shop', '=', SHOP).where('order_id', '=', '5001').orderBy('position').execute();
    expect(lines.map((l) => [l.id, l.product_id, l.variant_id, l.quantity, l.price_minor, l.total_discount_minor, l.properties])).toEqual([
      ['50011', '101', '1011', 2, 1250, 0, [{ name: '_shelfwise', value: 'tok-abc' }]],
      ['50012', '102', '1021', 1, 2400, 400, []],
    ]);
    const cancelled = await runtime.db.selectFrom('orders').selectAll().where('id', '=', '5002').executeTakeFirstOrThrow();
    expect(cancelled.cancelled_at?.toISOString()).toBe('2024-03-07T09:00:00.000Z');
    expect(cancelled.customer_key).toBeNull();
    const custom = await runtime.db.selectFrom('order_line_items').selectAll().where('order_id', '=', '5002').executeTakeFirstOrThrow();
    expect(custom.product_id).toBeNull();
    expect(await runtime.db.selectFrom('orders').select('id').where('shop', '=', SHOP).execute()).toHaveLength(7);

    // Each product's collections came with it: 101 is in Kitchen and Gifts, 102 in Gifts, 103 in Kitchen.
    expect(await memberships()).toEqual([
      ['101', '9001', 'kitchen'],
      ['101', '9002', 'gift-ideas'],
      ['102', '9002', 'gift-ideas'],
      ['103', '9001', 'kitchen'],
    ]);

    const runs = await syncRunsOf(runtime.db, SHOP);
    // Products: 3 product lines, 4 variant lines and 4 collection lines.
    expect(runs.map((r) => [r.resource, r.status, r.records_applied, r.lines_applied])).toEqual([
      ['products', 'completed', 3, 11],
      ['orders', 'completed', 7, 15],
    ]);
    expect(standin.state.callsTo('bulkOperationRunQuery', SHOP)).toHaveLength(2);
    expect(await queue.getJobScheduler(reconcileSchedulerId(SHOP))).toMatchObject({ pattern: runtime.config.reconcileCron });
  });

  it('resumes the same bulk operation after a store failure, past the orders already applied', async () => {
    failOrderCall = 3;
    const { state, job } = await runSync();
    expect(state).toBe('completed');
    expect(job.attemptsMade).toBe(2);
    // Attempt 1 wrote 5001 and 5002 and failed on 6001; attempt 2 carried on from 6001.
    expect(orderCalls).toEqual(['5001', '5002', '6001', '6001', '6002', '6003', '6004', '6005']);
    expect(productCalls).toEqual(['101', '102', '103']);
    expect(standin.state.callsTo('bulkOperationRunQuery', SHOP)).toHaveLength(2);
    expect(await runtime.db.selectFrom('orders').select('id').where('shop', '=', SHOP).execute()).toHaveLength(7);
  });

  it('resumes after the download is cut mid-file, without a new bulk operation', async () => {
    // Product 101, its two variants and its two collections are lines 1-5; the cut comes after 102's first line.
    standin.state.faults.cutNextDownloadAfterLines = 6;
    const { state, job } = await runSync();
    expect(state).toBe('completed');
    expect(job.attemptsMade).toBe(2);
    expect(productCalls).toEqual(['101', '102', '103']);
    expect(standin.state.callsTo('bulkOperationRunQuery', SHOP)).toHaveLength(2);
    const runs = await syncRunsOf(runtime.db, SHOP);
    expect(runs.find((r) => r.resource === 'products')).toMatchObject({ status: 'completed', records_applied: 3, lines_applied: 11 });
    expect(await memberships()).toHaveLength(4);
  });

  /** The shop's product_collections rows as [product, collection, handle], sorted. */
  async function memberships(shop = SHOP) {
    const rows = await runtime.db
      .selectFrom('product_collections')
      .selectAll()
      .where('shop', '=', shop)
      .orderBy('product_id')
      .orderBy('collection_id')
      .execute();
    return rows.map((r) => [r.product_id, r.collection_id, r.collection_handle]);
  }

  it("replaces each product's collections on the next sync, for this shop only", async () => {
    // Another shop with the same product id: its rows are not this sync's business.
    const OTHER = 'other-shop.myshopify.com';
    await replaceProductCollections(runtime.db, { shop: OTHER, productId: '101', collections: [{ collectionId: '9001', handle: 'theirs' }] });
    await runSync();
    const first = await memberships();

    // The merchant takes the mug out of Kitchen, puts the apron in a new Sale collection and
    // renames the Gifts handle; the teapot leaves its only collection.
    const shop = standin.state.shop(SHOP);
    const kitchen = shop.collections.find((c) => c.legacyResourceId === '9001')!;
    kitchen.productIds = [];
    shop.collections.find((c) => c.legacyResourceId === '9002')!.handle = 'gifts';
    shop.collections.push(collectionRecord({ id: 9003, title: 'Sale', productIds: [102] }));
    await worker!.close();
    worker = undefined;
    await runSync('reconcile');
    expect(await memberships()).toEqual([
      ['101', '9002', 'gifts'],
      ['102', '9002', 'gifts'],
      ['102', '9003', 'sale'],
    ]);
    expect(first).toHaveLength(4);

    // Nothing changed in Shopify: the next sync leaves exactly the same rows.
    await worker!.close();
    worker = undefined;
    await runSync('manual');
    expect(await memberships()).toEqual([
      ['101', '9002', 'gifts'],
      ['102', '9002', 'gifts'],
      ['102', '9003', 'sale'],
    ]);
    expect(await memberships(OTHER)).toEqual([['101', '9001', 'theirs']]);
  });

  it('writes collections even when a newer product version from a webhook makes the upsert stale', async () => {
    const [mug] = sampleCatalog('GBP').products;
    // products/update delivered a later version than the bulk snapshot has.
    await upsertProduct(runtime.db, {
      shop: SHOP, id: '101', title: 'Enamel Mug (renamed)', handle: mug!.handle, vendor: 'Kiln & Co', productType: 'Kitchen',
      tags: [], status: 'active', publishedAt: new Date('2024-03-01T10:00:00Z'), bodyText: '', imageUrl: null,
      updatedAt: new Date('2030-01-01T00:00:00Z'),
      variants: [{ id: '1011', title: 'Blue', sku: null, price: '12.50', compareAtPrice: null, inventoryQuantity: 4, inventoryPolicy: 'deny', inventoryManagement: 'shopify', position: 1 }],
    });
    const { state } = await runSync();
    expect(state).toBe('completed');
    const mugRow = await runtime.db.selectFrom('products').select('title').where('shop', '=', SHOP).where('id', '=', '101').executeTakeFirstOrThrow();
    expect(mugRow.title).toBe('Enamel Mug (renamed)');
    expect((await memberships()).filter(([product]) => product === '101')).toEqual([
      ['101', '9001', 'kitchen'],
      ['101', '9002', 'gift-ideas'],
    ]);
  });

  it('retries a failed collections write and ends with every membership once', async () => {
    failCollectionCall = 2;
    const { state, job } = await runSync();
    expect(state).toBe('completed');
    expect(job.attemptsMade).toBe(2);
    // Attempt 1 wrote 101's and failed on 102's; attempt 2 carried on from 102 (checkpoint after each product).
    expect(collectionCalls).toEqual(['101', '102', '102', '103']);
    expect(productCalls).toEqual(['101', '102', '102', '103']);
    expect(await memberships()).toHaveLength(4);
  });

  it('does nothing for an inactive shop and drops its reconciliation', async () => {
    await runSync();
    expect(await queue.getJobScheduler(reconcileSchedulerId(SHOP))).toBeDefined();
    const before = standin.state.calls.length;
    await markShopUninstalled(runtime.db, { shop: SHOP, at: new Date() });

    const job = await queue.add('sync', syncJob.parse({ shop: SHOP, reason: 'reconcile' }), { jobId: jobId('sync', SHOP, 'late-reconcile') });
    const state = await eventually(async () => {
      const s = await job.getState();
      return s === 'completed' || s === 'failed' ? s : undefined;
    });
    expect(state).toBe('completed');
    expect((await queue.getJob(job.id!))!.returnvalue).toEqual({ ok: false, shop: SHOP, reason: 'shop_inactive' });
    expect(standin.state.calls.length).toBe(before);
    expect(await queue.getJobScheduler(reconcileSchedulerId(SHOP))).toBeUndefined();
  });
});

describe('stopShopJobs', () => {
  it("removes the shop's scheduler and its jobs that have not started, and nobody else's", async () => {
    const runtime = await testRuntime();
    const queue = openQueue(QUEUE.sync, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
    try {
      const other = 'other-shop.myshopify.com';
      await queue.upsertJobScheduler(reconcileSchedulerId(SHOP), { pattern: '17 3 * * *' }, { name: 'sync', data: { shop: SHOP, reason: 'reconcile' } });
      await queue.add('sync', { shop: SHOP, reason: 'install' }, { jobId: 'a-waiting' });
      await queue.add('sync', { shop: SHOP, reason: 'manual' }, { jobId: 'a-delayed', delay: 60_000 });
      await queue.add('sync', { shop: other, reason: 'install' }, { jobId: 'b-waiting' });

      const result = await stopShopJobs({ queue, shop: SHOP });
      expect(result.schedulerRemoved).toBe(true);
      expect(result.jobsRemoved).toBeGreaterThanOrEqual(2);
      expect(await queue.getJobScheduler(reconcileSchedulerId(SHOP))).toBeUndefined();
      const left = await queue.getJobs(['wait', 'delayed', 'prioritized']);
      expect(left.map((j) => j.id)).toEqual(['b-waiting']);
    } finally {
      await queue.close();
      await runtime.close();
    }
  });
});
