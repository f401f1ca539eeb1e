import type { Redis } from '../../shared/redis';

/** Every key under the configured prefix that `belongs` says yes to, by SCAN (never KEYS: Redis is not blocked). */
export async function scanKeys(redis: Redis, pattern: string, belongs: (key: string) => boolean = () => true): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) if (belongs(key)) found.push(key);
  } while (cursor !== '0');
  return found;
}

/** UNLINK in slices (a few thousand keys per call at most); the number removed. */
export async function unlinkAll(redis: Redis, keys: readonly string[]): Promise<number> {
  let removed = 0;
  for (let i = 0; i < keys.length; i += 500) removed += await redis.unlink(...keys.slice(i, i + 500));
  return removed;
}

/** Glob-escapes a literal for SCAN MATCH (`*`, `?`, `[`, `]` and `\` are special). */
export function globLiteral(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * Whether a key names the shop as one of its parts: `{shop}` (the hash tag of shop keys), the shop
 * between colons (storefront-event and holdout keys), or the shop between `--` in a BullMQ job or
 * scheduler id (`wh--shop--id`, `train-schedule--shop`). Exact parts, so `a.myshopify.com` never
 * matches `ba.myshopify.com`'s keys.
 */
export function keyNamesShop(key: string, shop: string): boolean {
  for (const part of key.split(':')) {
    if (part === shop || part === `{${shop}}`) return true;
    if (part.includes('--') && part.split('--').includes(shop)) return true;
  }
  return false;
}

/**
 * Removes the stream entries whose fields `matches` (the storefront events stream and its dead
 * letters, BullMQ's event streams), reading in pages of 500. Returns how many went.
 */
export async function deleteStreamEntries(redis: Redis, stream: string, matches: (fields: string[]) => boolean): Promise<number> {
  let removed = 0;
  let start = '-';
  for (;;) {
    const page = await redis.xrange(stream, start, '+', 'COUNT', 500);
    const doomed = page.filter(([, fields]) => matches(fields)).map(([id]) => id);
    if (doomed.length) removed += await redis.xdel(stream, ...doomed);
    if (page.length < 500) return removed;
    start = `(${page[page.length - 1]![0]}`;
  }
}

/** Every stream key under the prefix. */
export async function streamKeys(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${globLiteral(prefix)}:*`, 'COUNT', 1000, 'TYPE', 'stream');
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}
