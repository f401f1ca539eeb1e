import type { Queue } from 'bullmq';
import { shopKey, type Redis } from '../../../shared/redis';
import { enqueueTraining } from './enqueue';

/** Counter of the shop's orders stored since its last training was asked for. */
export function newOrdersKey(prefix: string, shop: string): string {
  return shopKey(prefix, shop, 'train', 'new-orders');
}

// Count one order; at the threshold clear the count and say so, in one step, so two ingest
// jobs crossing the threshold together fire once.
const COUNT_ORDER = `
local n = redis.call('INCR', KEYS[1])
if n >= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return {1, n}
end
return {0, n}
`;

export interface NewOrdersTriggerDeps {
  redis: Redis;
  /** The `train` queue. */
  queue: Queue;
  /** Key prefix (QUEUE_PREFIX). */
  prefix: string;
  /** Orders that queue a training (TRAIN_MIN_NEW_ORDERS). */
  threshold: number;
  /** How long the queued run waits (TRAIN_TRIGGER_DELAY_SECONDS), so a burst trains once. Default 0. */
  delayMs?: number;
}

export type NewOrderCounted = { fired: false; count: number } | { fired: true; count: number; jobId: string | undefined };

/**
 * Counts stored orders per shop in Redis; the `threshold`-th queues a training (`orders`) and
 * starts the count again. A training run clears the count too (its snapshot holds those orders).
 */
export function createNewOrdersTrigger({ redis, queue, prefix, threshold, delayMs = 0 }: NewOrdersTriggerDeps) {
  return {
    async countOrder(shop: string): Promise<NewOrderCounted> {
      const key = newOrdersKey(prefix, shop);
      const [fired, count] = (await redis.eval(COUNT_ORDER, 1, key, threshold)) as [number, number];
      if (!fired) return { fired: false, count };
      try {
        const job = await enqueueTraining({ queue, shop, reason: 'orders', delayMs });
        return { fired: true, count, jobId: job.id };
      } catch (error) {
        // Give the count back so the next order fires again rather than losing these.
        await redis.incrby(key, count).catch(() => undefined);
        throw error;
      }
    },
    /** Forgets the shop's count: a run is starting, or the shop left. */
    async reset(shop: string): Promise<void> {
      await redis.del(newOrdersKey(prefix, shop));
    },
  };
}

export type NewOrdersTrigger = ReturnType<typeof createNewOrdersTrigger>;
