import type { Config } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { createRedis, type Redis } from '../../shared/redis';
import type { Runtime } from '../../shared/runtime';
import { testConfig } from './config';
import { pgliteDatabase, postgresDatabase, type TestDatabase } from './databases';

/**
 * A runtime on a fresh test database and the real Redis, with a queue prefix of its own.
 * `close` also deletes every Redis key under that prefix.
 */
export async function testRuntime(
  options: { backend?: 'pglite' | 'postgres'; config?: Record<string, string> } = {},
): Promise<Runtime & { database: TestDatabase }> {
  const config: Config = testConfig(options.config);
  const database = options.backend === 'postgres' ? await postgresDatabase() : await pgliteDatabase();
  const redis = createRedis(config.redisUrl, { name: 'test' });
  return {
    config,
    logger: createLogger({ level: config.logLevel }),
    db: database.db,
    redis,
    database,
    async close() {
      await deleteKeys(redis, `${config.queuePrefix}:*`);
      await redis.quit();
      await database.close();
    },
  };
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Polls until `check` returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
