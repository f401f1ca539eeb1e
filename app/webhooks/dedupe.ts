import type { Redis } from '../../shared/redis';
import { shopKey } from '../../shared/redis';

/** How long a claim holds before its enqueue is confirmed: a crash in between frees it soon. */
const PENDING_SECONDS = 60;

/**
 * Sets every key that is not set yet to 'pending' (they share the shop's hash slot); returns 0
 * when one of them was already confirmed ('queued', or '1' as claims were written before), 1
 * otherwise: a claim still pending is no proof the delivery was ever queued.
 */
const CLAIM_SCRIPT = `
local seen = 0
for i, key in ipairs(KEYS) do
  if not redis.call('SET', key, 'pending', 'EX', ARGV[1], 'NX') then
    local state = redis.call('GET', key)
    if state ~= 'pending' then seen = 1 end
  end
end
if seen == 1 then return 0 end
return 1`;

interface DeliveryIdentity {
  shop: string;
  webhookId: string;
  topic: string;
  eventId?: string;
}

/**
 * Claims a delivery: false when this webhook id (a Shopify retry) or this (topic, event id)
 * pair (the same merchant action delivered twice) was queued before. A claim is 'pending' until
 * `confirm` marks it queued (and keeps it for the dedupe TTL); `release` drops it when enqueueing
 * failed. A pending claim does not make a delivery a duplicate: when Redis died between the claim
 * and the enqueue (so release failed too), Shopify's retry finds it pending and is queued again
 * (the job id is the webhook id, so a copy that did reach the queue is not queued twice). A
 * pending claim also lapses after a minute.
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
    return (await this.claimKeys(keys.length, ...keys, PENDING_SECONDS)) === 1;
  }

  async confirm(d: DeliveryIdentity): Promise<void> {
    await Promise.all(this.keys(d).map((key) => this.redis.set(key, 'queued', 'EX', this.ttlSeconds)));
  }

  async release(d: DeliveryIdentity): Promise<void> {
    await this.redis.del(...this.keys(d));
  }
}
