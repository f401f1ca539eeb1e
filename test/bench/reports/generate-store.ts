import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Db } from '../../../shared/db';
import { seededRandom } from '../support/storefront-store';
import { attributeAllOrders } from './attribute-all';
import { seedCatalog } from './catalog';
import { LARGE_ORDER_ID, writeLargeOrder } from './large-order';
import { writeOrders } from './orders';
import { writeStorefrontEvents } from './storefront-events';
import { secondsSince } from './timing';

/** What the measurements need of a generated store; kept in app_meta so `--reuse` finds it. */
export interface BenchStore {
  shop: string;
  /** The last day with data (UTC, `YYYY-MM-DD`); ranges end here. */
  lastDay: string;
  campaignIds: string[];
  largeOrderId: string;
  shape: Record<string, number>;
  generatedAt: string;
  /** Seconds per phase. */
  timings: Record<string, number>;
}

const META_KEY = 'bench:reports:store';
const DAY_MS = 86_400_000;

export interface StoreShape {
  products: number;
  campaigns: number;
  events: number;
  orders: number;
  visitors: number;
  /** Every n-th visitor is a logged-in customer. */
  customerEvery: number;
  days: number;
}

export async function readBenchStore(db: Db): Promise<BenchStore | null> {
  const row = await db.selectFrom('app_meta').select('value').where('key', '=', META_KEY).executeTakeFirst();
  return row ? (JSON.parse(row.value) as BenchStore) : null;
}

/**
 * Generates the store: catalog and campaigns, storefront events through the worker's batch
 * writer (counts, rows, sponsored charges), orders as raw rows, the 100-line order, then every
 * order attributed by reattributeOrder with `workers` concurrent workers. Prints each phase.
 */
export async function generateBenchStore(options: {
  db: Db;
  shop: string;
  shape: StoreShape;
  tokenKey: Buffer;
  pseudonymKey: string;
  workers: number;
  now: Date;
  log: (line: string) => void;
}): Promise<BenchStore> {
  const { db, shop, shape, log } = options;
  const random = seededRandom(6);
  const endMs = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate());
  const startMs = endMs - shape.days * DAY_MS;
  const timings: Record<string, number> = {};
  const phase = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run();
    timings[name] = Number(secondsSince(started));
    log(`  ${name}: ${timings[name]} s`);
    return result;
  };

  const catalog = await phase('catalog', () => seedCatalog(db, { shop, products: shape.products, campaigns: shape.campaigns, startsAt: new Date(startMs - DAY_MS), random }));
  const events = await phase('events (writeEventBatch)', () =>
    writeStorefrontEvents({
      db,
      shop,
      catalog,
      tokenKey: options.tokenKey,
      pseudonymKey: options.pseudonymKey,
      events: shape.events,
      visitors: shape.visitors,
      customerEvery: shape.customerEvery,
      startMs,
      endMs,
      random,
      batchSize: 500,
      concurrency: 2,
      progress: (n) => {
        if (n % 100_000 < 1000) log(`    ${n} events written`);
      },
    }),
  );
  log(`  events: ${JSON.stringify(events.byType)}, sponsored ${events.sponsored}, charged clicks ${events.charged}, holdout exposures ${events.exposures} (${events.holdoutExposures} held out)`);
  const customers = Math.ceil(shape.visitors / shape.customerEvery);
  const orders = await phase('orders (raw rows)', () =>
    writeOrders({ db, shop, catalog, clicks: events.clicks, pseudonymKey: options.pseudonymKey, orders: shape.orders, customers, visitors: shape.visitors, customerEvery: shape.customerEvery, startMs, endMs, random }),
  );
  const { ids, ...orderShape } = orders;
  log(`  orders: ${JSON.stringify(orderShape)}`);
  await phase('large order', () => writeLargeOrder({ db, shop, catalog, tokenKey: options.tokenKey, pseudonymKey: options.pseudonymKey, customer: customers + 1, orderMs: endMs - 3_600_000 }));
  await phase('analyze', () => analyze(db));
  const attributed = await phase(`attribution (reattributeOrder, ${options.workers} workers)`, () =>
    attributeAllOrders({
      db,
      shop,
      tokenKey: options.tokenKey,
      customerIdKey: options.pseudonymKey,
      orders: [...ids, { id: LARGE_ORDER_ID, day: new Date(endMs - 3_600_000).toISOString().slice(0, 10) }],
      workers: options.workers,
      progress: (n) => log(`    ${n} orders attributed`),
    }),
  );
  log(`  attribution: ${attributed.orders} orders, ${attributed.credits} credited lines, ${(attributed.orders / attributed.seconds).toFixed(0)} orders/s`);
  await phase('analyze', () => analyze(db));

  const store: BenchStore = {
    shop,
    lastDay: new Date(endMs - DAY_MS).toISOString().slice(0, 10),
    campaignIds: catalog.campaigns.map((c) => c.id),
    largeOrderId: LARGE_ORDER_ID,
    shape: {
      products: shape.products,
      campaigns: catalog.campaigns.length,
      events: events.events,
      impressions: events.byType.impression,
      clicks: events.byType.click,
      addToCarts: events.byType.add_to_cart,
      sponsoredEvents: events.sponsored,
      chargedClicks: events.charged,
      exposures: events.exposures,
      holdoutExposures: events.holdoutExposures,
      orders: orders.orders,
      lineItems: orders.lineItems,
      ordersAfterClick: orders.afterClick,
      ordersWithLineToken: orders.withLineToken,
      ordersWithCartToken: orders.withCartToken,
      refunded: orders.refunded,
      cancelled: orders.cancelled,
      creditedLines: attributed.credits,
    },
    generatedAt: options.now.toISOString(),
    timings,
  };
  await db.insertInto('app_meta').values({ key: META_KEY, value: JSON.stringify(store) }).execute();
  return store;
}

/** Fresh planner statistics for the bench schema's tables after bulk loads (autovacuum would get there, later). */
async function analyze(db: Db): Promise<void> {
  const { rows } = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = current_schema()`.execute(db);
  for (const { tablename } of rows) await sql`analyze ${sql.id(tablename)}`.execute(db);
}
