import type { Db } from '../../shared/db';

/** The sync_runs table (migration 0002-sync), typed here where it is used. */
export interface SyncRunsTable {
  shop: string;
  resource: string;
  job_id: string;
  bulk_operation_id: string | null;
  status: 'started' | 'running' | 'applying' | 'completed' | 'failed';
  lines_applied: number;
  records_applied: number;
  records_skipped: number;
  object_count: number | null;
  error: string | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export type SyncRun = SyncRunsTable;
type Key = { shop: string; resource: string; jobId: string };

function table(db: Db) {
  return db.withTables<{ sync_runs: SyncRunsTable }>();
}

/** The run of this job for this resource, created on first sight. */
export async function openSyncRun(db: Db, key: Key): Promise<SyncRun> {
  await table(db)
    .insertInto('sync_runs')
    .values({ shop: key.shop, resource: key.resource, job_id: key.jobId, status: 'started' } as SyncRunsTable)
    .onConflict((oc) => oc.columns(['shop', 'resource', 'job_id']).doNothing())
    .execute();
  return table(db)
    .selectFrom('sync_runs')
    .selectAll()
    .where('shop', '=', key.shop)
    .where('resource', '=', key.resource)
    .where('job_id', '=', key.jobId)
    .executeTakeFirstOrThrow();
}

export async function updateSyncRun(
  db: Db,
  key: Key,
  changes: Partial<Pick<SyncRun, 'bulk_operation_id' | 'status' | 'lines_applied' | 'records_applied' | 'records_skipped' | 'object_count' | 'error' | 'finished_at'>>,
): Promise<void> {
  await table(db)
    .updateTable('sync_runs')
    .set({ ...changes, updated_at: new Date() })
    .where('shop', '=', key.shop)
    .where('resource', '=', key.resource)
    .where('job_id', '=', key.jobId)
    .execute();
}

export async function syncRunsOf(db: Db, shop: string): Promise<SyncRun[]> {
  return table(db).selectFrom('sync_runs').selectAll().where('shop', '=', shop).orderBy('started_at').execute();
}
