import type { Config } from '../config';
import { TokenCipher, verifyTokenKey } from '../crypto';
import { migrateToLatest, openDatabase, type Db, type DatabaseTarget } from '../db';
import { createLogger, type Logger } from '../logger';
import { createRedis, type Redis } from '../redis';

/** What every role needs, opened once per process from the validated config. */
export interface Runtime {
  config: Config;
  logger: Logger;
  db: Db;
  redis: Redis;
  close(): Promise<void>;
}

export function databaseTarget(config: Config): DatabaseTarget {
  return config.database.kind === 'postgres'
    ? { kind: 'postgres', url: config.database.url, poolSize: config.database.poolSize }
    : { kind: 'pglite', dataDir: config.database.dataDir };
}

/** Opens the store (migrating it) and Redis. `role` tags every log line. */
export async function openRuntime(config: Config, role: string): Promise<Runtime> {
  const logger = createLogger({ level: config.logLevel, base: { role } });
  const db = await openDatabase(databaseTarget(config));
  const applied = await migrateToLatest(db);
  if (applied.length) logger.info({ applied, database: config.database.kind }, 'migrations applied');
  // Every role opens tokens (web for the admin, worker for syncs): a wrong key stops each at start.
  try {
    await verifyTokenKey({ db, cipher: TokenCipher.fromConfig(config) });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const redis = createRedis(config.redisUrl, { name: `shelfwise-${role}` });
  return {
    config,
    logger,
    db,
    redis,
    async close() {
      await redis.quit().catch(() => redis.disconnect());
      await db.destroy();
    },
  };
}
