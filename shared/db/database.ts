import fs from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations';
import { PGliteDialect } from './pglite-dialect';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory' }
  | { kind: 'postgres'; url: string; poolSize: number; schema?: string };

const INT8_OID = 20;

/** bigint columns hold minor units and counts well inside 2^53: read them as numbers. */
function int8ToNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} is outside the safe integer range`);
  return value;
}

/**
 * Opens the store: embedded PGlite (a data directory, or memory for tests) or a PostgreSQL
 * server. Both speak the same SQL; nothing above this function knows which it got.
 */
export async function openDatabase(target: DatabaseTarget): Promise<Db> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize,
      options: target.schema ? `-c search_path=${target.schema}` : undefined,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? int8ToNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // A client whose server went away (a PostgreSQL restart) emits 'error': on the pool when it
    // was idle, on the client itself when it was checked out. With no listener either would end
    // the process. The pool drops the client and opens a new one for the next query; queries in
    // flight fail on their own and their jobs retry.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const dataDir = target.kind === 'pglite' ? target.dataDir : undefined;
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, { parsers: { [pgliteTypes.INT8]: int8ToNumber } });
  return new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
}

/** Applies every pending migration; safe to run from several processes at once. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // Pin the bookkeeping tables to our schema: Kysely otherwise finds another schema's copy
  // (a test's, a neighbour's on a shared server) and skips creating its own.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
