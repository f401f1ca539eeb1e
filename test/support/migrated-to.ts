import { randomUUID } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Db } from '../../shared/db';
import { migrations } from '../../shared/db/migrations';
import { POSTGRES_URL } from './databases';

/**
 * A store migrated up to the named migration only, as an install upgraded from that version is
 * (PGlite in memory, or a schema of its own on the real PostgreSQL, dropped on close); run
 * `migrateToLatest` on it to apply the migrations under test.
 */
export async function storeMigratedTo(kind: 'pglite' | 'postgres', migration: string): Promise<{ db: Db; close(): Promise<void> }> {
  let db: Db;
  let drop = async () => {};
  if (kind === 'pglite') db = await openDatabase({ kind: 'pglite-memory' });
  else {
    const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    db = await openDatabase({ kind: 'postgres', url: POSTGRES_URL, poolSize: 2, schema });
    drop = async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    };
  }
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: rows[0]?.schema ?? 'public' });
  const { error } = await migrator.migrateTo(migration);
  if (error) throw error;
  return {
    db,
    async close() {
      await db.destroy();
      await drop();
    },
  };
}
