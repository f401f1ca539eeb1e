import { sql } from 'kysely';
import { openQueue, QUEUE } from '../../../shared/queue';
import { startWorkers } from '../../../worker';
import { reconcileSchedulerId, restoreShopSchedules } from '../../../worker/sync';
import { trainSchedulerId } from '../../../worker/train/queue';
import { deleteKeys, eventually, testRuntime } from '../../support/runtime';

/** Installed through OAuth (an offline session) and synced. */
const SYNCED = 'synced.myshopify.com';
/** Installed, but its install sync was lost with Redis before it ran: no sync run at all. */
const NOT_SYNCED_YET = 'not-synced-yet.myshopify.com';
const UNINSTALLED = 'uninstalled.myshopify.com';
/** Recorded as installed without a session (the demo's local shop): nothing to sync with. */
const NO_SESSION = 'no-session.myshopify.com';

/**
 * Job schedulers live only in Redis. A Redis that lost its data (no persistence, a failover to an
 * empty replica) must get every shop's reconcile and training back when a worker starts, and a
 * Redis that kept them must keep their pending runs as they are.
 */
describe('restoring the per-shop schedulers', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;

  beforeAll(async () => {
    runtime = await testRuntime({ backend: 'postgres' });
    const shop = (domain: string, active: boolean) => ({ domain, active, scope: 'read_products', currency: 'GBP', installed_at: new Date() });
    await runtime.db.insertInto('shops').values([shop(SYNCED, true), shop(NOT_SYNCED_YET, true), shop(UNINSTALLED, false), shop(NO_SESSION, true)]).execute();
    const session = (s: string) => ({ id: `offline_${s}`, shop: s, state: 'state', is_online: false, scope: 'read_products', expires: null, access_token_enc: 'v1:sealed', online_access_info: null });
    await runtime.db.insertInto('shopify_sessions').values([session(SYNCED), session(NOT_SYNCED_YET), session(UNINSTALLED)]).execute();
    const run = (shop: string, jobId: string, status: string) => sql`insert into sync_runs (shop, resource, job_id, status) values (${shop}, 'products', ${jobId}, ${status})`.execute(runtime.db);
    await run(SYNCED, 'install-1', 'failed');
    await run(SYNCED, 'install-2', 'completed');
    await run(UNINSTALLED, 'install-1', 'completed');
    await run(NO_SESSION, 'install-1', 'completed');
  });
  afterAll(() => runtime.close());

  const queues = () => {
    const prefix = runtime.config.queuePrefix;
    return { syncQueue: openQueue(QUEUE.sync, { connection: runtime.redis, prefix }), trainQueue: openQueue(QUEUE.train, { connection: runtime.redis, prefix }) };
  };
  const schedulers = async () => {
    const { syncQueue, trainQueue } = queues();
    try {
      const of = async (queue: typeof syncQueue) => (await queue.getJobSchedulers()).map((s) => ({ id: s.key, pattern: s.pattern })).sort((a, b) => a.id.localeCompare(b.id));
      // The scheduled runs waiting for their time, with when each was created.
      const pending = async (queue: typeof syncQueue) => (await queue.getDelayed()).map((j) => `${j.id}@${j.timestamp}`).sort();
      return { sync: await of(syncQueue), train: await of(trainQueue), pending: [...(await pending(syncQueue)), ...(await pending(trainQueue))] };
    } finally {
      await syncQueue.close();
      await trainQueue.close();
    }
  };

  it('schedules the reconcile of every active shop with a session and the training of those synced; again, nothing is touched', async () => {
    const { syncQueue, trainQueue } = queues();
    try {
      const input = { db: runtime.db, syncQueue, trainQueue, reconcileCron: '17 3 * * *', trainCron: '43 4 * * *' };
      expect(await restoreShopSchedules(input)).toEqual({ reconcile: 2, train: 1 });
      const first = await schedulers();
      expect(first.sync).toEqual([reconcileSchedulerId(NOT_SYNCED_YET), reconcileSchedulerId(SYNCED)].sort().map((id) => ({ id, pattern: '17 3 * * *' })));
      expect(first.train).toEqual([{ id: trainSchedulerId(SYNCED), pattern: '43 4 * * *' }]);
      expect(first.pending).toHaveLength(3);

      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await restoreShopSchedules(input)).toEqual({ reconcile: 0, train: 0 });
      // The same pending runs, created at the same instants: an upsert would have replaced them.
      expect(await schedulers()).toEqual(first);
    } finally {
      await syncQueue.close();
      await trainQueue.close();
    }
  });

  it('a worker starting on an emptied Redis puts them back', async () => {
    await deleteKeys(runtime.redis, `${runtime.config.queuePrefix}:*`);
    expect(await schedulers()).toEqual({ sync: [], train: [], pending: [] });
    const workers = await startWorkers(runtime);
    try {
      await eventually(async () => ((await schedulers()).pending.length === 3 ? true : undefined));
      const restored = await schedulers();
      expect(restored.sync.map((s) => s.id)).toEqual([reconcileSchedulerId(NOT_SYNCED_YET), reconcileSchedulerId(SYNCED)].sort());
      expect(restored.train).toEqual([{ id: trainSchedulerId(SYNCED), pattern: runtime.config.train.cron }]);
    } finally {
      await workers.close();
    }
  });
});
