import type { Redis } from '../../shared/redis';
import { shopKey } from '../../shared/redis';

/** How long a claim holds before its enqueue is confirmed: a crash in between frees it soon. */
const PENDING_SECONDS = 60;

/** Sets every key that is not set yet (they share the shop's hash slot); returns how many were new. */
const CLAIM_SCRIPT = `
local fresh = 0
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, '1', 'EX', ARGV[1], 'NX') then fresh = fresh + 1 end
end
return fresh`;

interface DeliveryIdentity {
  shop: string;
  webhookId: string;
  topic: string;
  eventId?: string;
}

/**
 * Claims a delivery: false when this webhook id (a Shopify retry) or this (topic, event id)
 * pair (the same merchant action delivered twice) was seen before. A claim first holds for a
 * minute only; `confirm` extends it once the job is queued, `release` drops it when enqueueing
 * failed. A process that dies in between therefore never turns Shopify's retry into a
 * "duplicate" of a delivery that was lost.
 */
export class DeliveryDedupe {
  private readonly claimKeys: (...args: Array<string | number>) => Promise<number>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {
    // A defined command runs by SHA (EVALSHA), so the script text is not resent each time.
    if (!('claimDelivery' in redis)) redis.defineCommand('claimDelivery', { lua: CLAIM_SCRIPT });
    const command = (redis as unknown as Record<string, (...args: Array<string | number>) => Promise<number>>).claimDelivery!;
    this.claimKeys = command.bind(redis);
  }

  private keys(d: DeliveryIdentity): string[] {
    const keys = [shopKey(this.prefix, d.shop, 'wh', d.webhookId)];
    if (d.eventId) keys.push(shopKey(this.prefix, d.shop, 'ev', d.topic, d.eventId));
    return keys;
  }

  async claim(d: DeliveryIdentity): Promise<boolean> {
    const keys = this.keys(d);
    // One script call instead of MULTI/EXEC: this is on every delivery's path.
    const fresh = await this.claimKeys(keys.length, ...keys, PENDING_SECONDS);
    return fresh === keys.length;
  }

  async confirm(d: DeliveryIdentity): Promise<void> {
    await Promise.all(this.keys(d).map((key) => this.redis.expire(key, this.ttlSeconds)));
  }

  async release(d: DeliveryIdentity): Promise<void> {
    await this.redis.del(...this.keys(d));
  }
}
