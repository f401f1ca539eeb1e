import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Db } from '../../shared/db';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  db: Db;
  close(): Promise<void>;
}

/** A fresh, migrated PGlite in memory. */
export async function pgliteDatabase(): Promise<TestDatabase> {
  const db = await openDatabase({ kind: 'pglite-memory' });
  await migrateToLatest(db);
  return { name: 'pglite', db, close: () => db.destroy() };
}

/** A fresh, migrated schema of its own on the real PostgreSQL; dropped on close. */
export async function postgresDatabase(): Promise<TestDatabase> {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = await openDatabase({ kind: 'postgres', url: POSTGRES_URL, poolSize: 8, schema });
  await migrateToLatest(db);
  return {
    name: 'postgres',
    db,
    async close() {
      await db.destroy();
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** Both backends, for contract suites: `describe.each(BACKENDS)`. */
export const BACKENDS: Array<[TestDatabase['name'], () => Promise<TestDatabase>]> = [
  ['pglite', pgliteDatabase],
  ['postgres', postgresDatabase],
];
