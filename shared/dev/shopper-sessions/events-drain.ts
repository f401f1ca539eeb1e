import type { Redis } from '../../redis';
import { STOREFRONT_EVENTS_GROUP, storefrontEventStreamKey } from '../../tracking';

/** `<ms>-<seq>` stream ids compared as numbers. */
function compareStreamIds(a: string, b: string): number {
  const [am, as = '0'] = a.split('-');
  const [bm, bs = '0'] = b.split('-');
  const ms = BigInt(am!) - BigInt(bm!);
  return ms !== 0n ? (ms < 0n ? -1 : 1) : Number(BigInt(as) - BigInt(bs));
}

/** XINFO's flat [name, value, …] reply as a record. */
function fields(reply: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1];
  return out;
}

/**
 * Resolves once the worker's events consumer has read and acknowledged every event appended so
 * far (its group's last delivered id has reached the stream's last id, nothing pending): the
 * events are then rows. For the CLI and tests; the simulation itself only speaks HTTP.
 */
export async function waitForStorefrontEventsStored(o: { redis: Redis; queuePrefix: string; timeoutMs: number }): Promise<void> {
  const key = storefrontEventStreamKey(o.queuePrefix);
  const until = Date.now() + o.timeoutMs;
  for (;;) {
    const exists = await o.redis.exists(key);
    if (!exists) return;
    const stream = fields((await o.redis.call('XINFO', 'STREAM', key)) as unknown[]);
    const groups = ((await o.redis.call('XINFO', 'GROUPS', key)) as unknown[][]).map(fields);
    const group = groups.find((g) => g.name === STOREFRONT_EVENTS_GROUP);
    const last = String(stream['last-generated-id'] ?? '0-0');
    if (group && Number(group.pending) === 0 && compareStreamIds(String(group['last-delivered-id']), last) >= 0) return;
    if (Date.now() > until) throw new Error(`storefront events not stored after ${o.timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
