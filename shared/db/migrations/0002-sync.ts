import { sql, type Kysely } from 'kysely';

/**
 * Progress of bulk-operation syncs, one row per (shop, resource, job): a retried job finds
 * the bulk operation it started and the lines it already applied, and carries on from there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sync_runs (
      shop text not null,
      resource text not null,
      job_id text not null,
      bulk_operation_id text,
      status text not null,
      lines_applied integer not null default 0,
      records_applied integer not null default 0,
      records_skipped integer not null default 0,
      object_count integer,
      error text,
      started_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      finished_at timestamptz,
      primary key (shop, resource, job_id)
    );
    create index sync_runs_shop_started on sync_runs (shop, started_at);
  `.execute(db);
}
