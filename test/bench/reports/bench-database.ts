import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Db } from '../../../shared/db';

/** The schema `--reuse` keeps between runs. */
export const REUSED_SCHEMA = 'bench_reports';

export interface BenchDatabase {
  db: Db;
  schema: string;
  /** Closes the pool; drops the schema unless it is kept. */
  close(options: { keep: boolean }): Promise<void>;
}

async function admin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * A migrated schema of its own on the PostgreSQL server at `url`: a fresh random one, or with
 * `reuse` the fixed REUSED_SCHEMA (created when missing; migrations run either way, so a reused
 * store picks up new tables — their rollups are only filled by a fresh generation).
 */
export async function openBenchDatabase(options: { url: string; reuse: boolean; poolSize: number }): Promise<BenchDatabase> {
  const schema = options.reuse ? REUSED_SCHEMA : `bench_reports_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await admin(options.url, (c) => c.query(`create schema if not exists ${schema}`));
  const db = await openDatabase({ kind: 'postgres', url: options.url, poolSize: options.poolSize, schema });
  await migrateToLatest(db);
  return {
    db,
    schema,
    async close({ keep }) {
      await db.destroy();
      if (!keep) await admin(options.url, (c) => c.query(`drop schema ${schema} cascade`));
    },
  };
}

/** Drops the reused schema (for `--reuse --regenerate`). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  await admin(url, (c) => c.query(`drop schema if exists ${schema} cascade`));
}

/** PostgreSQL's version string (`server_version`). */
export async function serverVersion(url: string): Promise<string> {
  return admin(url, async (c) => (await c.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? 'unknown');
}
