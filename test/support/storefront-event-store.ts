import type { Db } from '../../shared/db';
import { createRedis } from '../../shared/redis';
import type { Runtime } from '../../shared/runtime';
import { storefrontEventStreamKey } from '../../shared/tracking';
import { createEventsConsumer, type EntriesHandled, type EventsConsumerOptions } from '../../worker/events';

/** Runs a fresh events consumer (its own blocking connection) over everything in the stream, then closes it. */
export async function drainEvents(runtime: Runtime, options: Partial<EventsConsumerOptions> = {}): Promise<EntriesHandled> {
  const connection = createRedis(runtime.config.redisUrl, { forWorker: true, name: 'test-events' });
  const consumer = createEventsConsumer({
    connection,
    redis: runtime.redis,
    db: runtime.db,
    logger: runtime.logger,
    prefix: runtime.config.queuePrefix,
    ...options,
  });
  try {
    return await consumer.drain();
  } finally {
    await consumer.close();
    await connection.quit();
  }
}

/** Everything the events consumer writes, in a stable order, read from one snapshot (a batch commits all three at once). */
export async function storedEvents(db: Db) {
  const { receipts, counts, events } = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => ({
      receipts: await trx.selectFrom('storefront_event_receipts').select(['shop', 'id']).orderBy('id').execute(),
      counts: await trx
        .selectFrom('storefront_event_counts')
        .select(['shop', 'day', 'placement', 'type', 'product_id', 'model_version', 'sponsored', 'count'])
        .orderBy('type')
        .orderBy('product_id')
        .orderBy('placement')
        .execute(),
      events: await trx.selectFrom('storefront_events').selectAll().orderBy('id').execute(),
    }));
  return {
    receipts,
    counts: counts.map((c) => ({ ...c, day: typeof c.day === 'string' ? c.day : isoDay(c.day as unknown as Date), count: Number(c.count) })),
    events,
  };
}

function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Entries waiting in the events stream (appended by the web process, not yet trimmed). */
export async function streamLength(runtime: Runtime): Promise<number> {
  return runtime.redis.xlen(storefrontEventStreamKey(runtime.config.queuePrefix));
}
