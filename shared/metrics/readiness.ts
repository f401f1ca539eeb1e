import { sql } from 'kysely';
import type { Db } from '../db';
import type { Redis } from '../redis';

export type CheckState = 'ok' | 'down' | 'timeout';

export interface Readiness {
  ready: boolean;
  checks: { database: CheckState; redis: CheckState };
}

async function within(timeoutMs: number, probe: () => Promise<unknown>): Promise<CheckState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckState>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    return await Promise.race([probe().then((): CheckState => 'ok', (): CheckState => 'down'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether this process can do its work now: the database answers `select 1` and Redis answers
 * PING, each within `timeoutMs`. A process that is alive but not ready is taken out of the load
 * balancer (web) or reported (worker) rather than restarted.
 */
export async function checkReadiness({ db, redis, timeoutMs }: { db: Db; redis: Redis; timeoutMs: number }): Promise<Readiness> {
  const [database, redisState] = await Promise.all([
    within(timeoutMs, () => sql`select 1`.execute(db)),
    within(timeoutMs, () => redis.ping()),
  ]);
  return { ready: database === 'ok' && redisState === 'ok', checks: { database, redis: redisState } };
}
