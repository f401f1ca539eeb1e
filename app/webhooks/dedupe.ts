import type { Redis } from '../../shared/redis';
import { shopKey } from '../../shared/redis';

/** How long a claim holds before its enqueue is confirmed: a crash in between frees it soon. */
const PENDING_SECONDS = 60;

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
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  private keys(d: DeliveryIdentity): string[] {
    const keys = [shopKey(this.prefix, d.shop, 'wh', d.webhookId)];
    if (d.eventId) keys.push(shopKey(this.prefix, d.shop, 'ev', d.topic, d.eventId));
    return keys;
  }

  async claim(d: DeliveryIdentity): Promise<boolean> {
    const pipeline = this.redis.multi();
    for (const key of this.keys(d)) pipeline.set(key, '1', 'EX', PENDING_SECONDS, 'NX');
    const results = (await pipeline.exec()) ?? [];
    return results.every(([error, reply]) => {
      if (error) throw error;
      return reply === 'OK';
    });
  }

  async confirm(d: DeliveryIdentity): Promise<void> {
    const pipeline = this.redis.multi();
    for (const key of this.keys(d)) pipeline.expire(key, this.ttlSeconds);
    await pipeline.exec();
  }

  async release(d: DeliveryIdentity): Promise<void> {
    await this.redis.del(...this.keys(d));
  }
}
