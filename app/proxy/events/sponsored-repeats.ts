import type { Redis } from '../../../shared/redis';
import { REPEAT_CLICK_SECONDS } from '../../../shared/sponsored';
import { storefrontEventKey } from '../../../shared/tracking';

export interface SponsoredClick {
  eventId: string;
  campaignId: string;
  productId: string;
}

/**
 * Which sponsored clicks repeat one the same shopper made on the same campaign's product within
 * REPEAT_CLICK_SECONDS, with or without analytics consent: the shopper is its hashed address
 * (what the rate limit already counts), held in Redis for the window and never stored. Each key
 * keeps the first click's event id, so a retried beacon (the same event) is not its own repeat.
 * One round trip, only for beacons holding a sponsored click.
 */
export async function sponsoredRepeats(redis: Redis, prefix: string, shop: string, shopper: string, clicks: readonly SponsoredClick[]): Promise<Set<string>> {
  if (!clicks.length) return new Set();
  const pipeline = redis.pipeline();
  for (const c of clicks) {
    pipeline.set(storefrontEventKey(prefix, 'sprepeat', shop, shopper, c.campaignId, c.productId), c.eventId, 'EX', REPEAT_CLICK_SECONDS, 'NX', 'GET');
  }
  const replies = (await pipeline.exec()) ?? [];
  const repeats = new Set<string>();
  clicks.forEach((c, i) => {
    const [error, first] = replies[i] ?? [null, null];
    if (error) throw error;
    if (first !== null && first !== c.eventId) repeats.add(c.eventId);
  });
  return repeats;
}
