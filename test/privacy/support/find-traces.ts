import { sql } from 'kysely';
import type { Db } from '../../../shared/db';
import type { Redis } from '../../../shared/redis';

/** One place a needle was found. */
export interface Trace {
  store: 'database' | 'redis';
  /** Table, or Redis key. */
  where: string;
  needle: string;
}

/**
 * Looks for each needle in every row of every table of the database's current schema (each row
 * as text, and every bytea column as bytes, so model artifacts are searched too). Tables are
 * read from information_schema: a table added later is searched without being listed here.
 */
export async function findInDatabase(db: Db, needles: readonly string[]): Promise<Trace[]> {
  const traces: Trace[] = [];
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const { rows: byteColumns } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and data_type = 'bytea'`.execute(db);
  for (const { table_name: table } of tables) {
    for (const needle of needles) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} t where strpos(t::text, ${needle}) > 0`.execute(db);
      if (rows[0]!.n > 0) traces.push({ store: 'database', where: table, needle });
      for (const { column_name: column } of byteColumns.filter((c) => c.table_name === table)) {
        const { rows: inBytes } = await sql<{ n: number }>`
          select count(*)::int as n from ${sql.table(table)} where position(convert_to(${needle}, 'UTF8') in ${sql.ref(column)}) > 0`.execute(db);
        if (inBytes[0]!.n > 0) traces.push({ store: 'database', where: `${table}.${column}`, needle });
      }
    }
  }
  return traces;
}

/** Every key under `prefix` and its whole value as text (strings, hashes, lists, sets, sorted sets, streams). */
export async function redisContents(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const contents = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hgetall(key);
      else if (type === 'list') value = await redis.lrange(key, 0, -1);
      else if (type === 'set') value = await redis.smembers(key);
      else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
      else if (type === 'stream') value = await redis.xrange(key, '-', '+');
      else continue; // expired between SCAN and TYPE
      contents.set(key, JSON.stringify(value));
    }
  } while (cursor !== '0');
  return contents;
}

/** Each needle in every Redis key name and value under `prefix`. */
export async function findInRedis(redis: Redis, prefix: string, needles: readonly string[]): Promise<Trace[]> {
  const traces: Trace[] = [];
  for (const [key, value] of await redisContents(redis, prefix)) {
    for (const needle of needles) if (key.includes(needle) || value.includes(needle)) traces.push({ store: 'redis', where: key, needle });
  }
  return traces;
}

/** Both stores. */
export async function findTraces(stores: { db: Db; redis: Redis; prefix: string }, needles: readonly string[]): Promise<Trace[]> {
  return [...(await findInDatabase(stores.db, needles)), ...(await findInRedis(stores.redis, stores.prefix, needles))];
}
