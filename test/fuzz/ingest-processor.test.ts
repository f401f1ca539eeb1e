import { UnrecoverableError } from 'bullmq';
import fc from 'fast-check';
import { recommendationTokenKey } from '../../shared/tracking';
import { createOrderAttribution } from '../../worker/attribution';
import { createIngestProcessor } from '../../worker/ingest';
import { MissingCurrencyError } from '../../worker/ingest/map';
import { clearStore } from '../support/dump';
import { testRuntime } from '../support/runtime';
import { orderPayload, productPayload, refundPayload } from '../support/shopify-payloads';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from './support/fuzz-runs';
import { FuzzTally } from './support/fuzz-tally';
import { hostileValue, mutated } from './support/hostile-values';
import { snapshotStore, storeChanges, type StoreSnapshot } from './support/store-snapshot';

const SHOP = 'fuzz-ingest.myshopify.com';

/** A well-formed body per topic: the fuzzer breaks it one field at a time. */
const VALID_BODIES: Record<string, unknown> = {
  'products/create': productPayload(),
  'products/update': productPayload(),
  'products/delete': { id: 1001 },
  'orders/create': orderPayload(),
  'orders/paid': orderPayload(),
  'orders/updated': orderPayload(),
  'orders/cancelled': orderPayload({ cancelled_at: '2024-02-02T10:00:00+00:00' }),
  'refunds/create': refundPayload(),
  'app/uninstalled': { id: 1, domain: SHOP },
  'customers/redact': { shop_id: 1, shop_domain: SHOP, customer: { id: 777 }, orders_to_redact: [5001] },
  'shop/redact': { shop_id: 1, shop_domain: SHOP },
  'customers/data_request': { shop_id: 1, shop_domain: SHOP, customer: { id: 777 }, orders_requested: [5001] },
  'bulk_operations/finish': { admin_graphql_api_id: 'gid://shopify/BulkOperation/1', status: 'completed' },
};
const TOPICS = Object.keys(VALID_BODIES);

/** What a hostile body may be: a valid one broken in places, any JSON, or bytes that are not JSON. */
const hostileBody = (topic: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: mutated(VALID_BODIES[topic]).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  );

jest.setTimeout(FUZZ_TIMEOUT_MS);

describe('fuzz: the ingest processor on signed hostile payloads of every topic (PostgreSQL)', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let ingest: ReturnType<typeof createIngestProcessor>;
  const tally = new FuzzTally();

  beforeAll(async () => {
    runtime = await testRuntime({ backend: 'postgres' });
    // As the worker runs it: every stored order and refund is attributed too.
    const attribution = createOrderAttribution({ db: runtime.db, tokenKey: recommendationTokenKey(runtime.config.tokenEncryptionKey), customerIdKey: runtime.config.customerIdKey });
    ingest = createIngestProcessor({ db: runtime.db, logger: runtime.logger, customerIdKey: runtime.config.customerIdKey, attributeOrder: attribution.attributeOrder });
  });
  afterAll(async () => {
    tally.write();
    await runtime?.close();
  });

  const job = (topic: string, body: unknown) => ({ shop: SHOP, topic, webhookId: 'fuzz', receivedAt: '2024-03-01T00:00:00.000Z', body: typeof body === 'string' ? body : JSON.stringify(body) });
  const line = (overrides: Record<string, unknown>) => ({ ...orderPayload().line_items[0], ...overrides });
  const variant = (overrides: Record<string, unknown>) => ({ ...productPayload().variants[0], ...overrides });

  /** Found by the property below: each reached the database, failed there and was retried as if transient. */
  it('fails for good, writing nothing, a payload whose numbers overflow their columns or whose ids repeat', async () => {
    await clearStore(runtime.db);
    const before = await snapshotStore(runtime);
    const cases: Array<[string, unknown, RegExp]> = [
      ['orders/create', orderPayload({ line_items: [line({ quantity: 2 ** 31 })] }), /line_items\.0\.quantity/],
      ['orders/create', orderPayload({ line_items: [line({ id: 21 }), line({ id: 21 })] }), /line_items\.1\.id: repeats id 21/],
      ['products/create', productPayload({ variants: [variant({ inventory_quantity: 2 ** 40 })] }), /variants\.0\.inventory_quantity/],
      ['products/create', productPayload({ variants: [variant({ position: 2 ** 31 })] }), /variants\.0\.position/],
      ['products/create', productPayload({ variants: [variant({ id: 7 }), variant({ id: 7 })] }), /variants\.1\.id: repeats id 7/],
      ['products/create', productPayload({ variants: [variant({ price: '99999999999999999999' })] }), /variants\.0\.price/],
      ['refunds/create', refundPayload({ refund_line_items: [{ line_item_id: 50011, quantity: 2 ** 31, subtotal: '1.00' }] }), /refund_line_items\.0\.quantity/],
    ];
    for (const [topic, body, reason] of cases) {
      const failure = await ingest(job(topic, body)).then(() => null, (error: unknown) => error);
      expect([topic, failure instanceof UnrecoverableError, String((failure as Error | null)?.message)]).toEqual([topic, true, expect.stringMatching(reason)]);
    }
    expect(storeChanges(before, await snapshotStore(runtime))).toEqual([]);
  });

  /** Found by the property below: PostgreSQL refuses NUL in text and jsonb ("invalid byte sequence", "unsupported Unicode escape"). */
  it('stores text holding NUL characters with U+FFFD in their place', async () => {
    await clearStore(runtime.db);
    await ingest(job('products/create', productPayload({ title: 'Mug\u0000', tags: ['a\u0000b'] })));
    await ingest(job('orders/create', orderPayload({ name: '#\u0000', note_attributes: [{ name: 'n', value: 'v\u0000' }], line_items: [line({ properties: [{ name: '_shelfwise', value: 't\u0000' }] })] })));
    expect(await runtime.db.selectFrom('products').select(['title', 'tags']).execute()).toEqual([{ title: 'Mug\uFFFD', tags: ['a\uFFFDb'] }]);
    expect(await runtime.db.selectFrom('orders').select('name').execute()).toEqual([{ name: '#\uFFFD' }]);
  });

  /** Found by probing the jsonb fields the property rarely reaches: jsonb refuses a lone surrogate ("invalid input syntax for type json"). */
  it('stores text holding lone surrogates with U+FFFD in their place', async () => {
    await clearStore(runtime.db);
    await ingest(job('products/create', productPayload({ title: '\udfffMug', tags: ['\ud800'] })));
    await ingest(job('orders/create', orderPayload({ note_attributes: [{ name: 'n', value: '\ud800' }], line_items: [line({ properties: [{ name: '_shelfwise', value: 't\udc00' }] })] })));
    expect(await runtime.db.selectFrom('products').select(['title', 'tags']).execute()).toEqual([{ title: '\uFFFDMug', tags: ['\uFFFD'] }]);
    expect(await runtime.db.selectFrom('orders').select('note_attributes').execute()).toEqual([{ note_attributes: [{ name: 'n', value: '\uFFFD' }] }]);
  });

  it('either stores the payload or fails the job for good (UnrecoverableError) having written nothing', async () => {
    await clearStore(runtime.db);
    let before: StoreSnapshot = await snapshotStore(runtime);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TOPICS).chain((topic) => fc.tuple(fc.constant(topic), hostileBody(topic))),
        async ([topic, body]) => {
          let failure: unknown = null;
          try {
            await ingest(job(topic, body));
          } catch (error) {
            failure = error;
          }
          const after = await snapshotStore(runtime);
          tally.count(`ingest worker: ${topic}`, { rejected: failure !== null });
          // The one retry by design (worker/ingest/map.ts): a refund without its currency waits for its order.
          if (failure instanceof MissingCurrencyError) failure = null;
          if (failure !== null) {
            // A transient error would be retried for ever on the same bytes: hostile input must be final.
            expect({ topic, body, failure: String(failure), unrecoverable: failure instanceof UnrecoverableError }).toEqual(expect.objectContaining({ unrecoverable: true }));
            expect(String((failure as Error).message)).toMatch(/^malformed /);
            expect(storeChanges(before, after)).toEqual([]);
          } else if (after.tables.orders?.rows || after.tables.products?.rows) {
            // Accepted: start the next case from an empty store, so two cases' ids never meet
            // (a line item id stored under another order is a known gap, below).
            await clearStore(runtime.db);
            before = await snapshotStore(runtime);
            return;
          }
          before = after;
        },
      ),
      fuzzParameters(8),
    );
  });

  // Shopify's line item ids are unique across a shop, so a delivery reusing another order's line
  // item id is malformed: upsertOrder refuses it (InvalidInputError), the job fails for good.
  it('fails for good a delivery whose line item id belongs to another stored order', async () => {
    await clearStore(runtime.db);
    await ingest(job('orders/create', orderPayload({ id: 1, line_items: [line({ id: 77 })] })));
    const failure = await ingest(job('orders/create', orderPayload({ id: 2, line_items: [line({ id: 77 })] }))).then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(UnrecoverableError);
  });

  // Compliance ids are Shopify's decimal ids: one holding NUL or a lone surrogate is malformed, not a database fault.
  it('fails for good a compliance request whose order ids are not ids (NUL, a lone surrogate)', async () => {
    for (const [topic, body] of [
      ['customers/redact', { shop_domain: SHOP, customer: { id: 1 }, orders_to_redact: ['a\u0000'] }],
      ['customers/data_request', { shop_domain: SHOP, customer: { id: 1 }, orders_requested: ['a\u0000'] }],
      ['customers/data_request', { shop_domain: SHOP, customer: { id: 1 }, orders_requested: ['\ud800'] }],
    ] as const) {
      const failure = await ingest(job(topic, body)).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(UnrecoverableError);
    }
  });
});
