import type { Queue } from 'bullmq';
import type { Db } from '../../shared/db';
import { scheduleTraining, trainSchedulerId } from '../train/queue';
import { reconcileSchedulerId, scheduleReconcile } from './schedule';
import type { SyncRunsTable } from './sync-runs';

/**
 * Re-creates the per-shop job schedulers a Redis that lost its data has forgotten (they live only
 * in Redis): the daily reconcile of every active shop with an offline session (what a sync needs;
 * a shop whose install sync was lost with Redis has no sync run yet), and the training of every
 * active shop with a completed sync (the sync's completion schedules it). Only missing schedulers
 * are created: upserting an existing one would drop its pending run, and one that came due while
 * no worker ran would be lost. The worker runs it at every start.
 */
export async function restoreShopSchedules(input: {
  db: Db;
  syncQueue: Queue;
  trainQueue: Queue;
  reconcileCron: string;
  trainCron: string;
}): Promise<{ reconcile: number; train: number }> {
  const shops = await input.db
    .withTables<{ sync_runs: SyncRunsTable }>()
    .selectFrom('shops as s')
    .select('s.domain')
    .select((eb) => eb.exists(eb.selectFrom('sync_runs as r').select('r.shop').whereRef('r.shop', '=', 's.domain').where('r.status', '=', 'completed')).as('synced'))
    .where('s.active', '=', true)
    .where((eb) => eb.exists(eb.selectFrom('shopify_sessions as x').select('x.shop').whereRef('x.shop', '=', 's.domain').where('x.is_online', '=', false)))
    .orderBy('s.domain')
    .execute();
  const existing = async (queue: Queue) => new Set((await queue.getJobSchedulers()).map((s) => s.key));
  const [reconciling, training] = [await existing(input.syncQueue), await existing(input.trainQueue)];
  const created = { reconcile: 0, train: 0 };
  for (const { domain: shop, synced } of shops) {
    if (!reconciling.has(reconcileSchedulerId(shop))) {
      await scheduleReconcile({ queue: input.syncQueue, shop, pattern: input.reconcileCron });
      created.reconcile++;
    }
    if (synced && !training.has(trainSchedulerId(shop))) {
      await scheduleTraining({ queue: input.trainQueue, shop, pattern: input.trainCron });
      created.train++;
    }
  }
  return created;
}
