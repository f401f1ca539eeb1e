import { Redis } from 'ioredis';
import { servingKeys } from '../../../shared/serving';

export interface ServingWatch {
  /** Reads that found the pointer naming a version whose lists exist. */
  served: number;
  /** Reads that found no pointer, or a pointer to a version without its lists. */
  missing: string[];
  /** Reads that could not reach Redis (it was down): nothing could be served, nothing was wrong. */
  unreachable: number;
  /** Every version id seen serving, in order. */
  versions: string[];
  stop(): Promise<void>;
}

/**
 * Reads the serving pointer and its version's lists every `everyMs` (as the storefront's script
 * does, in one MULTI so they are one point in time), for as long as the test runs.
 */
export async function watchServing({ url, prefix, shop, everyMs = 100 }: { url: string; prefix: string; shop: string; everyMs?: number }): Promise<ServingWatch> {
  // Fails fast while Redis is down (a read counted unreachable), reconnects every 100 ms.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 100, lazyConnect: true });
  redis.on('error', () => undefined);
  await redis.connect();
  const keys = servingKeys(prefix, shop);
  const watch: ServingWatch = { served: 0, missing: [], unreachable: 0, versions: [], stop: async () => undefined };
  let running = true;
  const read = async () => {
    const version = await redis.get(keys.pointer);
    if (!version) return watch.missing.push('no serving pointer');
    const [trending, forYou] = await Promise.all([redis.exists(keys.list(version, 'trending')), redis.exists(keys.list(version, 'for_you'))]);
    if (!trending || !forYou) return watch.missing.push(`version ${version} without its lists`);
    watch.served += 1;
    if (watch.versions.at(-1) !== version) watch.versions.push(version);
  };
  const loop = (async () => {
    while (running) {
      await read().catch(() => {
        watch.unreachable += 1;
      });
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  watch.stop = async () => {
    running = false;
    await loop;
    redis.disconnect();
  };
  return watch;
}
