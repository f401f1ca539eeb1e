import { loadConfig } from '../config';
import { migrateToLatest, openDatabase, type Db } from '../db';
import { databaseTarget } from '../runtime';

/** For a one-shot command: the configured database, migrated, open for `run` only. */
export async function withDatabase<T>(run: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(databaseTarget(loadConfig()));
  try {
    await migrateToLatest(db);
    return await run(db);
  } finally {
    await db.destroy();
  }
}
