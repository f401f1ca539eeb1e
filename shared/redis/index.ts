import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * A Redis connection. `forWorker` connections never give up on a command (BullMQ workers
 * block on Redis and must ride out restarts); others fail fast so HTTP handlers answer.
 */
export function createRedis(url: string, options: { forWorker?: boolean; name?: string; autoPipelining?: boolean } = {}): Redis {
  const base: RedisOptions = {
    connectionName: options.name,
    // Commands issued in one event-loop tick go out in one write: the storefront's connection,
    // where many small requests are in flight at once.
    enableAutoPipelining: options.autoPipelining ?? false,
    maxRetriesPerRequest: options.forWorker ? null : 3,
    enableOfflineQueue: true,
    lazyConnect: false,
  };
  return new Redis(url, base);
}

/**
 * Every key of one shop carries the shop in a hash tag, so a Redis Cluster keeps a shop's keys
 * on one slot and multi-key scripts stay legal.
 */
export function shopKey(prefix: string, shop: string, ...parts: string[]): string {
  return [prefix, `{${shop}}`, ...parts].join(':');
}
