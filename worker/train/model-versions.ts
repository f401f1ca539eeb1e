import type { ColumnType, Generated } from 'kysely';
import type { Db } from '../../shared/db';
import type { BlendChoice, Placement } from '../recommend/placements';
import type { DataCounts, ProtocolMetrics } from './train-from-log';

type Json<T> = ColumnType<T, string, string>;

export const VERSION_STATUSES = ['trained', 'published', 'rejected', 'not_enough_data', 'superseded'] as const;
/**
 * trained: fitted and recorded, not yet judged or published (a run that dies here is redone);
 * published: serving, or served until a newer one took over (then superseded);
 * rejected: worse than the serving version or the popularity baseline, never served;
 * not_enough_data: the trending fallback of a store too small to learn from.
 */
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** What a version was fitted on. */
export interface DataSnapshot {
  counts: DataCounts;
  fingerprint: string;
  /** ISO times of the first and last order and of the protocol's split; null when none. */
  from: string | null;
  to: string | null;
  testStart: string | null;
  validationStart: string | null;
}

/** The model_versions table (migration 0003-models), typed here where it is used. */
export interface ModelVersionsTable {
  id: Generated<number>;
  shop: string;
  created_at: Generated<Date>;
  status: VersionStatus;
  /** 'blend' for a trained version, 'trending' for a not_enough_data fallback. */
  model: string;
  /** Each placement's BlendChoice. */
  parameters: Json<Partial<Record<Placement, BlendChoice>>>;
  data_snapshot: Json<DataSnapshot>;
  /** placement → protocol → model → metrics (blend and baselines) on the test window. */
  metrics: Json<Partial<Record<Placement, ProtocolMetrics>>>;
  /** The catalog product codes the lists and any artifact index into. */
  vocabulary: Json<string[]>;
  backend: string;
  fit_seconds: number;
  peak_rss_bytes: number;
  artifact: Uint8Array | null;
  /** Why it was rejected or had not enough data; what it was published over. */
  message: string | null;
  published_at: Date | null;
}

export const TRAINING_STATES = ['running', 'published', 'rejected', 'not_enough_data', 'unchanged', 'failed'] as const;
export type TrainingState = (typeof TRAINING_STATES)[number];

/** The training_status table: one row per shop, what its latest run did. */
export interface TrainingStatusTable {
  shop: string;
  status: TrainingState;
  counts: Json<Partial<DataCounts>>;
  serving_version_id: number | null;
  last_version_id: number | null;
  last_run_at: Date;
  message: string | null;
  updated_at: Generated<Date>;
}

export type ModelVersion = Omit<ModelVersionsTable, 'id' | 'created_at' | 'parameters' | 'data_snapshot' | 'metrics' | 'vocabulary'> & {
  id: number;
  created_at: Date;
  parameters: Partial<Record<Placement, BlendChoice>>;
  data_snapshot: DataSnapshot;
  metrics: Partial<Record<Placement, ProtocolMetrics>>;
  vocabulary: string[];
};

export type TrainingStatus = Omit<TrainingStatusTable, 'counts' | 'updated_at'> & { counts: Partial<DataCounts>; updated_at: Date };

export type NewModelVersion = Omit<ModelVersion, 'id' | 'created_at' | 'published_at'>;

function tables(db: Db) {
  return db.withTables<{ model_versions: ModelVersionsTable; training_status: TrainingStatusTable }>();
}

/** PGlite reads bytea as Uint8Array, node-postgres as Buffer: hand back one kind. */
function normalise(row: ModelVersion): ModelVersion {
  return { ...row, artifact: row.artifact ? new Uint8Array(row.artifact.buffer, row.artifact.byteOffset, row.artifact.byteLength) : null };
}

/** Records a version; returns its id. */
export async function insertModelVersion(db: Db, v: NewModelVersion): Promise<number> {
  const { id } = await tables(db)
    .insertInto('model_versions')
    .values({
      shop: v.shop,
      status: v.status,
      model: v.model,
      parameters: JSON.stringify(v.parameters),
      data_snapshot: JSON.stringify(v.data_snapshot),
      metrics: JSON.stringify(v.metrics),
      vocabulary: JSON.stringify(v.vocabulary),
      backend: v.backend,
      fit_seconds: v.fit_seconds,
      peak_rss_bytes: v.peak_rss_bytes,
      artifact: v.artifact ? Buffer.from(v.artifact.buffer, v.artifact.byteOffset, v.artifact.byteLength) : null,
      message: v.message,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

export async function modelVersion(db: Db, id: number): Promise<ModelVersion | undefined> {
  const row = await tables(db).selectFrom('model_versions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? normalise(row as ModelVersion) : undefined;
}

/** A shop's versions, newest first. */
export async function modelVersionsOf(db: Db, shop: string): Promise<ModelVersion[]> {
  const rows = await tables(db).selectFrom('model_versions').selectAll().where('shop', '=', shop).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => normalise(r as ModelVersion));
}

/** The newest version fitted on data with this fingerprint, if any. */
export async function latestVersionWithFingerprint(db: Db, shop: string, fingerprint: string): Promise<ModelVersion | undefined> {
  const row = await tables(db)
    .selectFrom('model_versions')
    .selectAll()
    .where('shop', '=', shop)
    .where((eb) => eb(eb.ref('data_snapshot', '->>').key('fingerprint'), '=', fingerprint))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? normalise(row as ModelVersion) : undefined;
}

export async function setModelVersionStatus(db: Db, id: number, status: VersionStatus, changes: { message?: string | null; publishedAt?: Date } = {}): Promise<void> {
  await tables(db)
    .updateTable('model_versions')
    .set({ status, ...(changes.message !== undefined ? { message: changes.message } : {}), ...(changes.publishedAt ? { published_at: changes.publishedAt } : {}) })
    .where('id', '=', id)
    .execute();
}

/** Every other published version of the shop becomes superseded: one serves at a time. */
export async function supersedeOthers(db: Db, shop: string, servingId: number): Promise<void> {
  await tables(db).updateTable('model_versions').set({ status: 'superseded' }).where('shop', '=', shop).where('status', '=', 'published').where('id', '!=', servingId).execute();
}

export async function trainingStatusOf(db: Db, shop: string): Promise<TrainingStatus | undefined> {
  const row = await tables(db).selectFrom('training_status').selectAll().where('shop', '=', shop).executeTakeFirst();
  return row as TrainingStatus | undefined;
}

export interface TrainingStatusUpdate {
  shop: string;
  status: TrainingState;
  counts?: Partial<DataCounts>;
  servingVersionId?: number | null;
  lastVersionId?: number | null;
  lastRunAt: Date;
  message?: string | null;
}

/** Writes the shop's status row; fields left undefined keep their stored value. */
export async function saveTrainingStatus(db: Db, s: TrainingStatusUpdate): Promise<void> {
  const changes = {
    status: s.status,
    last_run_at: s.lastRunAt,
    updated_at: new Date(),
    message: s.message ?? null,
    ...(s.counts !== undefined ? { counts: JSON.stringify(s.counts) } : {}),
    ...(s.servingVersionId !== undefined ? { serving_version_id: s.servingVersionId } : {}),
    ...(s.lastVersionId !== undefined ? { last_version_id: s.lastVersionId } : {}),
  };
  await tables(db)
    .insertInto('training_status')
    .values({ shop: s.shop, counts: '{}', ...changes })
    .onConflict((oc) => oc.column('shop').doUpdateSet(changes))
    .execute();
}
