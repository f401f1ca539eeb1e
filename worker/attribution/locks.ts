import { createHash } from 'node:crypto';
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../shared/db';

function lockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

async function advisoryLock(trx: Transaction<Database>, name: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${lockKey(name)}::bigint)`.execute(trx);
}

const dayLockName = (shop: string, day: string): string => `shelfwise/attribution-day\u0000${shop}\u0000${day}`;

/**
 * A transaction-scoped advisory lock per (shop, order): re-attributions of one order run one
 * after another, so the last one reads every write committed before it. Unlike a row lock
 * (`select … for update`) it writes nothing, so a re-attribution that changes nothing (a
 * redelivery) is a read-only transaction whose commit waits for no WAL flush. Take it first, in a
 * statement of its own: the reads after it take their snapshots once it is held.
 */
export async function lockOrder(trx: Transaction<Database>, shop: string, orderId: string): Promise<void> {
  await advisoryLock(trx, `shelfwise/attribution-order\u0000${shop}\u0000${orderId}`);
}

/**
 * A query that takes the transaction-scoped advisory locks of the given days (per shop and day),
 * one after another in the order given (sort them: no deadlock between two multi-day orders):
 * unnest returns the keys in array order and nothing reorders them. writeAttributionChanges runs
 * it inside the statement that adds an order's rollup deltas, ahead of every rollup row it
 * touches, so a day's rollup rows change one order at a time.
 */
export function lockDaysQuery(shop: string, days: readonly string[]): RawBuilder<unknown> {
  const keys = days.map((day) => lockKey(dayLockName(shop, day)));
  return sql`select pg_advisory_xact_lock(k) from unnest(${`{${keys.join(',')}}`}::bigint[]) as k`;
}
