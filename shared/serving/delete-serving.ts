import type { Redis } from '../redis';
import { servingKeys } from './keys';

/**
 * Removes every published list of a shop (pointer, versions set, every version's keys), e.g. when
 * it uninstalls the app. SCAN, not KEYS: it never blocks Redis; returns the number of keys removed.
 */
export async function deleteServing({ redis, prefix, shop }: { redis: Redis; prefix: string; shop: string }): Promise<number> {
  const { pointer } = servingKeys(prefix, shop);
  const pattern = `${pointer.slice(0, -':serving'.length)}:*`;
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}
