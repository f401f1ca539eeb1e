import type { Redis } from '../../../shared/redis';
import { REPEAT_CLICK_SECONDS } from '../../../shared/sponsored';
import { storefrontEventKey } from '../../../shared/tracking';

export interface SponsoredClick {
  eventId: string;
  campaignId: string;
  productId: string;
}

/** Deletes each marker still holding the event id this request set (KEYS[i] ↔ ARGV[i]). */
const RELEASE_SCRIPT = `
local released = 0
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[i] then released = released + redis.call('DEL', key) end
end
return released`;

/** The repeats among a beacon's sponsored clicks, and a way to take back the markers it set. */
export interface SponsoredRepeats {
  repeats: Set<string>;
  /**
   * Drops the markers this call set, for a beacon refused after it (rate limit, bot flag, a
   * failure): its clicks were never counted, so they must not make a later click a repeat.
   */
  release(): Promise<void>;
}

/**
 * Which sponsored clicks repeat one the same shopper made on the same campaign's product within
 * REPEAT_CLICK_SECONDS, with or without analytics consent: the shopper is its hashed address
 * (what the rate limit already counts), held in Redis for the window and never stored. Each key
 * keeps the first click's event id, so a retried beacon (the same event) is not its own repeat.
 * One round trip, only for beacons holding a sponsored click.
 */
export async function sponsoredRepeats(redis: Redis, prefix: string, shop: string, shopper: string, clicks: readonly SponsoredClick[]): Promise<SponsoredRepeats> {
  if (!clicks.length) return { repeats: new Set(), release: async () => undefined };
  const pipeline = redis.pipeline();
  const keys = clicks.map((c) => storefrontEventKey(prefix, 'sprepeat', shop, shopper, c.campaignId, c.productId));
  clicks.forEach((c, i) => pipeline.set(keys[i]!, c.eventId, 'EX', REPEAT_CLICK_SECONDS, 'NX', 'GET'));
  const replies = (await pipeline.exec()) ?? [];
  const repeats = new Set<string>();
  const set: Array<{ key: string; eventId: string }> = [];
  clicks.forEach((c, i) => {
    const [error, first] = replies[i] ?? [null, null];
    if (error) throw error;
    if (first === null) set.push({ key: keys[i]!, eventId: c.eventId });
    else if (first !== c.eventId) repeats.add(c.eventId);
  });
  return {
    repeats,
    async release() {
      // The keys share the events' hash tag: one script call.
      if (set.length) await redis.eval(RELEASE_SCRIPT, set.length, ...set.map((m) => m.key), ...set.map((m) => m.eventId));
    },
  };
}
