import type { Queue } from 'bullmq';
import type { Db } from '../../shared/db';
import { scheduleTraining } from '../train/queue';
import { scheduleReconcile } from './schedule';
import type { SyncRunsTable } from './sync-runs';

/**
 * Re-creates the per-shop job schedulers a Redis that lost its data has forgotten (they live only
 * in Redis): the daily reconcile of every active shop that has ever started a sync (the sync's
 * first step schedules it), and the training of every active shop with a completed sync (the
 * sync's completion schedules it). Upserts by fixed ids: on a Redis that kept them, nothing
 * changes. The worker runs it at every start.
 */
export async function restoreShopSchedules(input: {
  db: Db;
  syncQueue: Queue;
  trainQueue: Queue;
  reconcileCron: string;
  trainCron: string;
}): Promise<{ reconcile: number; train: number }> {
  const rows = await input.db
    .withTables<{ sync_runs: SyncRunsTable }>()
    .selectFrom('shops as s')
    .innerJoin('sync_runs as r', 'r.shop', 's.domain')
    .select('s.domain')
    .select((eb) => eb.fn.max(eb.case().when('r.status', '=', 'completed').then(1).else(0).end()).as('completed'))
    .where('s.active', '=', true)
    .groupBy('s.domain')
    .orderBy('s.domain')
    .execute();
  let train = 0;
  for (const row of rows) {
    await scheduleReconcile({ queue: input.syncQueue, shop: row.domain, pattern: input.reconcileCron });
    if (Number(row.completed) === 1) {
      await scheduleTraining({ queue: input.trainQueue, shop: row.domain, pattern: input.trainCron });
      train++;
    }
  }
  return { reconcile: rows.length, train };
}
