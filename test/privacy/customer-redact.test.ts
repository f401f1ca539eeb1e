import type { Queue } from 'bullmq';
import { servingKeys } from '../../shared/serving';
import { decodeIalsArtifact } from '../../worker/recommend/models/ials-artifact';
import { modelVersion, runTraining, trainFromLog } from '../../worker/train';
import { testRuntime } from '../support/runtime';
import { writeSmallStore } from '../worker/train/small-store';
import { ingestQueue, privacyProcessor, writeCustomer, type CustomerFixture } from './support/customer-fixture';
import { findTraces } from './support/find-traces';
import { writeEventBatch } from '../../worker/events';
import { DAY_MS, START } from '../worker/train/small-store';

type Runtime = Awaited<ReturnType<typeof testRuntime>>;

/** The customer's Shopify id and visitor id: distinctive, so a search for them cannot hit by chance. */
const ADA = { customerId: '987654321987', visitorId: 'adaVisitorX7q2', firstOrder: 7_300_001 };
const BOB = { customerId: '123456789123', visitorId: 'bobVisitorK9w4', firstOrder: 7_400_001 };

describe.each(['pglite', 'postgres'] as const)('customers/redact on %s and real Redis', (backend) => {
  let rt: Runtime;
  let queue: Queue;
  const shop = `redact-${backend}.myshopify.com`;
  let ada: CustomerFixture;
  let bob: CustomerFixture;
  let ingest: ReturnType<typeof privacyProcessor>;

  beforeAll(async () => {
    rt = await testRuntime({ backend });
    queue = ingestQueue(rt);
    ingest = privacyProcessor(rt, [queue]);
    await writeSmallStore(rt.db, { shop });
    ada = await writeCustomer(rt, queue, ingest, shop, ADA);
    bob = await writeCustomer(rt, queue, ingest, shop, BOB);
  });
  afterAll(async () => {
    await queue.close();
    await rt.close();
  });

  const train = () => runTraining({ db: rt.db, redis: rt.redis, prefix: rt.config.queuePrefix, shop, logger: rt.logger, retention: { keepPrevious: 1, graceMs: 60_000 } });
  const stores = () => ({ db: rt.db, redis: rt.redis, prefix: rt.config.queuePrefix });
  const needlesOf = (c: CustomerFixture) => [c.customerKey, c.visitorKey, c.customerId, c.visitorId];

  it('finds the customer everywhere before, nowhere after: rows, events, lists, artifacts, keys and jobs; the next version has no trace', async () => {
    const first = await train();
    expect(first.outcome).toBe('published');
    const firstVersion = (await modelVersion(rt.db, first.version!.id))!;
    expect(decodeIalsArtifact(firstVersion.artifact!).customerIds).toContain(ada.customerKey);
    const keys = servingKeys(rt.config.queuePrefix, shop);
    expect(await rt.redis.hget(keys.list(String(firstVersion.id), 'for_you'), ada.customerKey)).not.toBeNull();

    // Before: every kind of trace the search must be able to see is there.
    const before = await findTraces(stores(), needlesOf(ada));
    const places = new Set(before.map((t) => t.where.replace(/^t[0-9a-f]{8}/, 'P')));
    for (const table of ['orders', 'order_revenue', 'storefront_events', 'holdout_exposures', 'holdout_visitors', 'model_versions.artifact']) expect(places).toContain(table);
    const redisPlaces = [...places].filter((p) => p.startsWith('P:')).join('\n');
    // Lists (for_you, history), the kept raw webhook job, the stream entry, visitor and gate keys.
    for (const key of [':reco:v:1:for_you', ':reco:v:1:history', 'P:ingest:', '{storefront-events}:stream', '{storefront-events}:rate:', '{storefront-events}:bot:', 'P:holdout:']) expect(redisPlaces).toContain(key);

    // Bob logged in once on Ada's browser: that event is Bob's, not Ada's to export or erase.
    const shared = { v: 1 as const, shop, id: 'evt-shared-browser', type: 'click' as const, occurred_at: START + 101 * DAY_MS, received_at: START + 101 * DAY_MS, consent: true, visitor_key: ada.visitorKey, customer_key: bob.customerKey, impression_id: 'imp-shared', placement: 'fbt' as const, product_id: 'p1', position: 0, model_version: null, sponsored: false, token: 'tok-shared' };
    await writeEventBatch(rt.db, [shared]);

    await ingest(shop, 'customers/redact', { shop_id: 1, shop_domain: shop, customer: { id: Number(ADA.customerId), email: 'ada@example.com', phone: null }, orders_to_redact: ada.orderIds.map(Number) });

    expect(await findTraces(stores(), needlesOf(ada))).toEqual([]);
    expect(await rt.db.selectFrom('storefront_events').select(['visitor_key', 'customer_key']).where('shop', '=', shop).where('id', '=', shared.id).execute()).toEqual([{ visitor_key: null, customer_key: bob.customerKey }]);
    // The orders stay (the shop's revenue), without the person.
    const orders = await rt.db.selectFrom('orders').select(['id', 'customer_key', 'note_attributes']).where('shop', '=', shop).where('id', 'in', ada.orderIds).execute();
    expect(orders).toHaveLength(5);
    for (const o of orders) expect(o).toMatchObject({ customer_key: null, note_attributes: [] });
    // Another customer and another visitor's events are untouched.
    expect((await findTraces(stores(), [bob.customerKey, bob.visitorKey])).length).toBeGreaterThan(0);
    expect(await rt.db.selectFrom('storefront_events').select('id').where('shop', '=', shop).where('id', '=', `evt-${ADA.firstOrder}-other`).execute()).toHaveLength(1);

    // The next model version learns from the anonymised orders: no trace of the pseudonym.
    const second = await train();
    expect(second.outcome === 'published' || second.outcome === 'rejected').toBe(true);
    const secondVersion = (await modelVersion(rt.db, second.version!.id))!;
    expect(secondVersion.id).toBeGreaterThan(firstVersion.id);
    const vocabulary = decodeIalsArtifact(secondVersion.artifact!).customerIds;
    expect(vocabulary).not.toContain(ada.customerKey);
    expect(vocabulary).toContain(bob.customerKey);
    expect(await findTraces(stores(), needlesOf(ada))).toEqual([]);
  }, 120_000);

  it('a redaction that commits while a training run fits leaves that run’s lists and artifact too', async () => {
    const run = await runTraining({
      db: rt.db,
      redis: rt.redis,
      prefix: rt.config.queuePrefix,
      shop,
      logger: rt.logger,
      force: true,
      retention: { keepPrevious: 1, graceMs: 60_000 },
      // The snapshot was read before this fit; Bob is redacted while it runs.
      fit: async (input) => {
        const result = await trainFromLog(input);
        expect(Object.keys(result.lists.for_you)).toContain(bob.customerKey);
        await ingest(shop, 'customers/redact', { shop_id: 1, shop_domain: shop, customer: { id: Number(BOB.customerId), email: null, phone: null }, orders_to_redact: bob.orderIds.map(Number) });
        return result;
      },
    });
    const version = (await modelVersion(rt.db, run.version!.id))!;
    expect(decodeIalsArtifact(version.artifact!).customerIds).not.toContain(bob.customerKey);
    const keys = servingKeys(rt.config.queuePrefix, shop);
    if (run.outcome === 'published') expect(await rt.redis.hlen(keys.list(String(version.id), 'for_you'))).toBeGreaterThan(0);
    expect(await findTraces(stores(), needlesOf(bob))).toEqual([]);
  }, 120_000);
});
