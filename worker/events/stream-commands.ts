import type { Redis } from '../../shared/redis';
import { STOREFRONT_EVENTS_GROUP } from '../../shared/tracking';

/** A stream entry as Redis returns it: its id and flat `[field, value, …]` list. */
export type StreamEntry = [id: string, fields: string[]];

/** Creates the consumer group from the stream's first entry (events appended before any worker ran count too). */
export async function ensureGroup(redis: Redis, stream: string): Promise<void> {
  try {
    await redis.xgroup('CREATE', stream, STOREFRONT_EVENTS_GROUP, '0', 'MKSTREAM');
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('BUSYGROUP')) throw error;
  }
}

/** New entries for this consumer; `blockMs` 0 answers at once. */
export async function readNew(redis: Redis, stream: string, consumer: string, count: number, blockMs: number): Promise<StreamEntry[]> {
  const reply = (blockMs > 0
    ? await redis.xreadgroup('GROUP', STOREFRONT_EVENTS_GROUP, consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', stream, '>')
    : await redis.xreadgroup('GROUP', STOREFRONT_EVENTS_GROUP, consumer, 'COUNT', count, 'STREAMS', stream, '>')) as Array<[string, StreamEntry[]]> | null;
  return reply?.[0]?.[1] ?? [];
}

/**
 * Takes over entries that another consumer read but never acknowledged for `minIdleMs` (it died,
 * or its batch failed), one page from `cursor`. Entries trimmed meanwhile come back as null and
 * are dropped from the group by Redis itself.
 */
export async function claimStale(
  redis: Redis,
  stream: string,
  consumer: string,
  options: { minIdleMs: number; count: number; cursor: string },
): Promise<{ next: string; entries: StreamEntry[] }> {
  const [next, entries] = (await redis.xautoclaim(stream, STOREFRONT_EVENTS_GROUP, consumer, options.minIdleMs, options.cursor, 'COUNT', options.count)) as [
    string,
    Array<StreamEntry | null>,
  ];
  return { next, entries: entries.filter((e): e is StreamEntry => e !== null && Array.isArray(e[1])) };
}

/**
 * Drops what every group has acknowledged: entries older than each group's oldest pending entry
 * (or, with none pending, its last delivered one). XACK alone never shrinks a stream.
 */
export async function trimAcknowledged(redis: Redis, stream: string): Promise<void> {
  const groups = (await redis.xinfo('GROUPS', stream)) as Array<Array<string | number>>;
  let minId: string | null = null;
  for (const flat of groups) {
    const info = new Map<string, string | number>();
    for (let i = 0; i + 1 < flat.length; i += 2) info.set(String(flat[i]), flat[i + 1]!);
    const name = String(info.get('name'));
    const pending = (await redis.xpending(stream, name)) as [number, string | null, string | null, unknown];
    const keep = pending[0] > 0 && pending[1] ? pending[1] : String(info.get('last-delivered-id'));
    if (minId === null || compareIds(keep, minId) < 0) minId = keep;
  }
  if (minId && minId !== '0-0') await redis.xtrim(stream, 'MINID', '~', minId);
}

function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}

/**
 * Removes the group's consumers that hold nothing and were idle longer than `idleMs`: every
 * start names a new consumer, so the names of stopped processes would otherwise pile up.
 * Returns the names removed.
 */
export async function forgetIdleConsumers(redis: Redis, stream: string, options: { keep: string; idleMs: number }): Promise<string[]> {
  const consumers = (await redis.xinfo('CONSUMERS', stream, STOREFRONT_EVENTS_GROUP)) as Array<Array<string | number>>;
  const removed: string[] = [];
  for (const flat of consumers) {
    const info = new Map<string, string | number>();
    for (let i = 0; i + 1 < flat.length; i += 2) info.set(String(flat[i]), flat[i + 1]!);
    const name = String(info.get('name'));
    if (name === options.keep || Number(info.get('pending')) > 0 || Number(info.get('idle')) < options.idleMs) continue;
    // Nothing pending, so nothing is lost; should that process read again, Redis re-creates it.
    await redis.xgroup('DELCONSUMER', stream, STOREFRONT_EVENTS_GROUP, name);
    removed.push(name);
  }
  return removed;
}
