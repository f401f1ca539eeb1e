import { sql } from 'kysely';
import { openQueue, QUEUE } from '../../../shared/queue';
import { startWorkers } from '../../../worker';
import { reconcileSchedulerId, restoreShopSchedules } from '../../../worker/sync';
import { trainSchedulerId } from '../../../worker/train/queue';
import { deleteKeys, testRuntime } from '../../support/runtime';

const SYNCED = 'synced.myshopify.com';
const FIRST_SYNC_FAILED = 'first-sync-failed.myshopify.com';
const UNINSTALLED = 'uninstalled.myshopify.com';
const NEVER_SYNCED = 'never-synced.myshopify.com';

/**
 * Job schedulers live only in Redis. A Redis that lost its data (no persistence, a failover to an
 * empty replica) must get every shop's reconcile and training back when a worker starts.
 */
describe('restoring the per-shop schedulers', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;

  beforeAll(async () => {
    runtime = await testRuntime({ backend: 'postgres' });
    const shop = (domain: string, active: boolean) => ({ domain, active, scope: 'read_products', currency: 'GBP', installed_at: new Date() });
    await runtime.db.insertInto('shops').values([shop(SYNCED, true), shop(FIRST_SYNC_FAILED, true), shop(UNINSTALLED, false), shop(NEVER_SYNCED, true)]).execute();
    const run = (shop: string, jobId: string, status: string) => sql`insert into sync_runs (shop, resource, job_id, status) values (${shop}, 'products', ${jobId}, ${status})`.execute(runtime.db);
    await run(SYNCED, 'install-1', 'failed');
    await run(SYNCED, 'install-2', 'completed');
    await run(FIRST_SYNC_FAILED, 'install-1', 'failed');
    await run(UNINSTALLED, 'install-1', 'completed');
  });
  afterAll(() => runtime.close());

  const schedulers = async () => {
    const prefix = runtime.config.queuePrefix;
    const sync = openQueue(QUEUE.sync, { connection: runtime.redis, prefix });
    const train = openQueue(QUEUE.train, { connection: runtime.redis, prefix });
    try {
      const ids = async (queue: typeof sync) => (await queue.getJobSchedulers()).map((s) => ({ id: s.key, pattern: s.pattern })).sort((a, b) => a.id.localeCompare(b.id));
      return { sync: await ids(sync), train: await ids(train) };
    } finally {
      await sync.close();
      await train.close();
    }
  };

  it('schedules the reconcile of every active shop that synced, and the training of those whose sync completed; again, nothing changes', async () => {
    const prefix = runtime.config.queuePrefix;
    const syncQueue = openQueue(QUEUE.sync, { connection: runtime.redis, prefix });
    const trainQueue = openQueue(QUEUE.train, { connection: runtime.redis, prefix });
    try {
      const input = { db: runtime.db, syncQueue, trainQueue, reconcileCron: '17 3 * * *', trainCron: '43 4 * * *' };
      expect(await restoreShopSchedules(input)).toEqual({ reconcile: 2, train: 1 });
      const expected = {
        sync: [reconcileSchedulerId(FIRST_SYNC_FAILED), reconcileSchedulerId(SYNCED)].sort().map((id) => ({ id, pattern: '17 3 * * *' })),
        train: [{ id: trainSchedulerId(SYNCED), pattern: '43 4 * * *' }],
      };
      expect(await schedulers()).toEqual(expected);
      expect(await restoreShopSchedules(input)).toEqual({ reconcile: 2, train: 1 });
      expect(await schedulers()).toEqual(expected);
    } finally {
      await syncQueue.close();
      await trainQueue.close();
    }
  });

  it('a worker starting on an emptied Redis puts them back', async () => {
    await deleteKeys(runtime.redis, `${runtime.config.queuePrefix}:*`);
    expect(await schedulers()).toEqual({ sync: [], train: [] });
    const workers = await startWorkers(runtime);
    try {
      const restored = await schedulers();
      expect(restored.sync.map((s) => s.id)).toEqual([reconcileSchedulerId(FIRST_SYNC_FAILED), reconcileSchedulerId(SYNCED)].sort());
      expect(restored.train).toEqual([{ id: trainSchedulerId(SYNCED), pattern: runtime.config.train.cron }]);
    } finally {
      await workers.close();
    }
  });
});
