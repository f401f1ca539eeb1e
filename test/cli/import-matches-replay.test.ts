import { Queue } from 'bullmq';
import { startWebServer } from '../../app';
import { importCatalog } from '../../shared/cli/commands/import';
import { createLogger } from '../../shared/logger';
import { QUEUE } from '../../shared/queue';
import { runReplay } from '../../shared/replay';
import { startWorkers, type RunningWorkers } from '../../worker';
import { TEST_SECRET } from '../support/config';
import { pgliteDatabase, type TestDatabase } from '../support/databases';
import { dumpStore } from '../support/dump';
import { eventually, testRuntime } from '../support/runtime';
import { BAD_ROWS_CSV, FIRST_5000_GZ } from '../shared/catalog-csv/fixtures';


/**
 * The promise of `shelfwise import`: the rows it writes are the rows the realistic path writes
 * (replay → signed HTTP → web process → BullMQ → ingest worker → store).
 */
describe('import writes what replay through the running app writes', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: { url: string; close(): Promise<void> };
  let workers: RunningWorkers;
  let ingestQueue: Queue;
  let direct: TestDatabase;

  beforeAll(async () => {
    runtime = await testRuntime({ backend: 'pglite' });
    server = await startWebServer(runtime, { port: 0 });
    workers = await startWorkers(runtime, { concurrency: 8 });
    ingestQueue = new Queue(QUEUE.ingest, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
    direct = await pgliteDatabase();
  });
  afterAll(async () => {
    await workers.close();
    await server.close();
    await ingestQueue.close();
    await runtime.close();
    await direct.close();
  });

  const drained = () =>
    eventually(async () => {
      const c = await ingestQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(c).every((n) => n === 0) ? true : undefined;
    }, 60_000);

  it.each([
    ['the hand-made fixture', BAD_ROWS_CSV, undefined, 'same-rows-a.myshopify.com'],
    ['the first 1,500 lines of the real file', FIRST_5000_GZ, 1500, 'same-rows-b.myshopify.com'],
  ])('%s', async (_label, file, limit, SHOP) => {
    const replayed = await runReplay({ file, limit, url: `${server.url}/webhooks`, secret: TEST_SECRET, shop: SHOP, apiVersion: '2026-07', concurrency: 8 });
    expect(replayed.deliveries.failed).toBe(0);
    await drained();
    expect(await ingestQueue.getJobCounts('failed')).toEqual({ failed: 0 });

    const imported = await importCatalog({ db: direct.db, logger: createLogger({ level: 'silent' }), customerIdKey: runtime.config.customerIdKey, shop: SHOP, file, limit });
    expect(imported.deliveries.failed).toBe(0);
    expect(imported.skipped).toEqual(replayed.skipped);

    const viaApp = await dumpStore(runtime.db);
    const shopOrders = viaApp.orders!.filter((row) => (JSON.parse(row as string) as { shop: string }).shop === SHOP);
    expect(shopOrders).toHaveLength(replayed.catalog.orders);
    expect(await dumpStore(direct.db)).toEqual(viaApp);
  });
});
