import type { Redis } from '../../shared/redis';
import { shopKey } from '../../shared/redis';

/**
 * Claims a delivery: returns false when this webhook id (a Shopify retry) or this
 * (topic, event id) pair (the same merchant action delivered twice) was seen before.
 * Both keys are set in one round trip; `release` undoes a claim whose enqueue failed,
 * so Shopify's retry is not mistaken for a duplicate.
 */
export class DeliveryDedupe {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  private keys(d: { shop: string; webhookId: string; topic: string; eventId?: string }) {
    const keys = [shopKey(this.prefix, d.shop, 'wh', d.webhookId)];
    if (d.eventId) keys.push(shopKey(this.prefix, d.shop, 'ev', d.topic, d.eventId));
    return keys;
  }

  async claim(d: { shop: string; webhookId: string; topic: string; eventId?: string }): Promise<boolean> {
    const keys = this.keys(d);
    const pipeline = this.redis.multi();
    for (const key of keys) pipeline.set(key, '1', 'EX', this.ttlSeconds, 'NX');
    const results = (await pipeline.exec()) ?? [];
    const fresh = results.map(([error, reply]) => {
      if (error) throw error;
      return reply === 'OK';
    });
    if (fresh.every(Boolean)) return true;
    // A duplicate event under a new webhook id: remember the id too, but do not enqueue.
    return false;
  }

  async release(d: { shop: string; webhookId: string; topic: string; eventId?: string }): Promise<void> {
    await this.redis.del(...this.keys(d));
  }
}
