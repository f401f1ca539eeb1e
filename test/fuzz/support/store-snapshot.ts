import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Runtime } from '../../../shared/runtime';

/** Every table of the test schema (row count and a digest of its rows) and every Redis key of the test prefix with a digest of its value. */
export interface StoreSnapshot {
  tables: Record<string, { rows: number; digest: string }>;
  redis: Record<string, string>;
}

/**
 * Keys a rejected request may still write, by design; each pattern names why. Anything else that
 * changes between two snapshots of a rejected batch is a write the fuzz properties fail on.
 */
export interface SideEffects {
  /** Redis keys (without the prefix) that may appear or change. */
  redisKeys?: RegExp[];
}

/** Reads the whole test store: the schema's tables from information_schema, the prefix's keys by SCAN. */
export async function snapshotStore(runtime: Runtime, sideEffects: SideEffects = {}): Promise<StoreSnapshot> {
  const { rows: names } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(runtime.db);
  const tables: StoreSnapshot['tables'] = {};
  if (names.length) {
    // One statement for every table: its row count and an md5 of its rows in a fixed order.
    const parts = names.map(
      ({ name }) => sql`select ${name}::text as name, count(*)::int as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${sql.table(name)} t`,
    );
    const { rows } = await sql<{ name: string; rows: number; digest: string }>`${sql.join(parts, sql` union all `)}`.execute(runtime.db);
    for (const row of rows) tables[row.name] = { rows: Number(row.rows), digest: row.digest };
  }
  const prefix = `${runtime.config.queuePrefix}:`;
  const redis: StoreSnapshot['redis'] = {};
  let cursor = '0';
  do {
    const [next, keys] = await runtime.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const local = key.slice(prefix.length);
      if (sideEffects.redisKeys?.some((pattern) => pattern.test(local))) continue;
      const dumped = await runtime.redis.dumpBuffer(key);
      if (dumped) redis[local] = createHash('sha256').update(dumped).digest('hex').slice(0, 16);
    }
  } while (cursor !== '0');
  return { tables, redis };
}

/** The tables and keys that differ between two snapshots (empty when nothing was written). */
export function storeChanges(before: StoreSnapshot, after: StoreSnapshot): string[] {
  const changes: string[] = [];
  for (const name of new Set([...Object.keys(before.tables), ...Object.keys(after.tables)])) {
    const a = before.tables[name];
    const b = after.tables[name];
    if (a?.digest !== b?.digest) changes.push(`table ${name}: ${a?.rows ?? 'absent'} → ${b?.rows ?? 'absent'} rows`);
  }
  for (const key of new Set([...Object.keys(before.redis), ...Object.keys(after.redis)])) {
    if (before.redis[key] !== after.redis[key]) changes.push(`redis ${key}: ${before.redis[key] ? 'changed' : 'added'}${after.redis[key] ? '' : ' (removed)'}`);
  }
  return changes;
}

/**
 * A snapshot once background writes of an accepted request have landed (the holdout gate records
 * a visitor after answering): taken again until two in a row agree.
 */
export async function settledSnapshot(runtime: Runtime, sideEffects: SideEffects = {}, { tries = 40, pauseMs = 25 } = {}): Promise<StoreSnapshot> {
  let last = await snapshotStore(runtime, sideEffects);
  for (let i = 0; i < tries; i++) {
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const next = await snapshotStore(runtime, sideEffects);
    if (!storeChanges(last, next).length) return next;
    last = next;
  }
  throw new Error('the store kept changing: a background write that never ends?');
}

/** Waits until BullMQ has written the queues' meta keys (asynchronously, once a process opens them), so a first snapshot does not see them appear. */
export async function queuesReady(runtime: Runtime, queues: string[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const present = await Promise.all(queues.map((q) => runtime.redis.exists(`${runtime.config.queuePrefix}:${q}:meta`)));
    if (present.every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`queues ${queues.join(', ')} never became ready`);
}
