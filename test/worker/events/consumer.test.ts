import { randomUUID } from 'node:crypto';
import type { Db } from '../../../shared/db';
import { createRedis, type Redis } from '../../../shared/redis';
import {
  encodeStreamEntry,
  storefrontEventDeadLetterKey,
  storefrontEventStreamKey,
  STOREFRONT_EVENTS_GROUP,
  STREAM_ENTRY_FIELD,
  type StorefrontEventEntry,
} from '../../../shared/tracking';
import { createEventsConsumer, writeEventBatch, type EventsConsumer, type EventsConsumerOptions } from '../../../worker/events';
import { BACKENDS } from '../../support/databases';
import { eventually, testRuntime } from '../../support/runtime';
import { drainEvents, storedEvents } from '../../support/storefront-event-store';

const SHOP = 'consumer.myshopify.com';
const AT = Date.UTC(2026, 10, 27, 23, 59, 59);

function entry(overrides: Partial<StorefrontEventEntry> = {}): StorefrontEventEntry {
  return {
    v: 1,
    shop: SHOP,
    id: randomUUID(),
    type: 'impression',
    occurred_at: AT,
    received_at: AT + 1000,
    consent: false,
    visitor_key: null,
    customer_key: null,
    impression_id: 'imp1',
    placement: 'related',
    product_id: '7001',
    position: 0,
    model_version: '3',
    sponsored: false,
    token: '1.r0.0.7001.x.imp1.3.AAAAAAAAAAAAAAAA',
    ...overrides,
  };
}

describe.each(BACKENDS)('storefront events consumer (%s)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let connection: Redis;
  let consumer: EventsConsumer | undefined;
  let stream: string;

  beforeEach(async () => {
    runtime = await testRuntime({ backend });
    connection = createRedis(runtime.config.redisUrl, { forWorker: true, name: 'test-events-consumer' });
    stream = storefrontEventStreamKey(runtime.config.queuePrefix);
  });
  afterEach(async () => {
    await consumer?.close();
    consumer = undefined;
    await connection.quit();
    await runtime.close();
  });

  const start = async (options: Partial<EventsConsumerOptions> = {}) => {
    consumer = createEventsConsumer({ connection, redis: runtime.redis, db: runtime.db, logger: runtime.logger, prefix: runtime.config.queuePrefix, blockMs: 200, ...options });
    await consumer.start();
    return consumer;
  };
  const append = (e: StorefrontEventEntry) => runtime.redis.xadd(stream, '*', STREAM_ENTRY_FIELD, encodeStreamEntry(e));
  const pending = async () => Number(((await runtime.redis.xpending(stream, STOREFRONT_EVENTS_GROUP)) as [number])[0]);

  it('dead-letters malformed entries, acknowledges them, and keeps storing the good ones', async () => {
    await start();
    const good = [entry(), entry({ type: 'click' })];
    await append(good[0]!);
    const notJson = await runtime.redis.xadd(stream, '*', STREAM_ENTRY_FIELD, '{oops');
    const noField = await runtime.redis.xadd(stream, '*', 'something', 'else');
    const leaky = await append({ ...entry(), visitor_key: 'should-not-be-here' });
    await append(good[1]!);

    const stored = await eventually(async () => {
      const s = await storedEvents(runtime.db);
      return s.receipts.length === 2 ? s : undefined;
    });
    expect(stored.receipts.map((r) => r.id).sort()).toEqual(good.map((g) => g.id).sort());
    const dead = await eventually(async () => {
      const d = await runtime.redis.xrange(storefrontEventDeadLetterKey(runtime.config.queuePrefix), '-', '+');
      return d.length === 3 ? d : undefined;
    });
    const fields = dead.map(([, f]) => Object.fromEntries(Array.from({ length: f.length / 2 }, (_, i) => [f[2 * i], f[2 * i + 1]])));
    expect(fields.map((f) => f.stream_id)).toEqual([notJson, noField, leaky]);
    expect(fields.map((f) => f.reason)).toEqual(['not JSON', `no '${STREAM_ENTRY_FIELD}' field`, expect.stringMatching(/^consent: /)]);
    expect(JSON.parse(fields[0]!.fields!)).toEqual([STREAM_ENTRY_FIELD, '{oops']);
    await eventually(async () => ((await pending()) === 0 ? true : undefined));
    // Still running: a later good entry is stored too.
    const later = entry({ type: 'add_to_cart', variant_id: '4001', quantity: 2 });
    await append(later);
    await eventually(async () => ((await storedEvents(runtime.db)).receipts.length === 3 ? true : undefined));
  });

  it('retries a failing database with backoff and loses nothing', async () => {
    let calls = 0;
    const flaky = async (db: Db, entries: readonly StorefrontEventEntry[]) => {
      calls++;
      if (calls <= 3) throw new Error('connection terminated unexpectedly');
      return writeEventBatch(db, entries);
    };
    const events = Array.from({ length: 5 }, () => entry({ consent: true, visitor_key: 'vk' }));
    for (const e of events) await append(e);
    await start({ writeBatch: flaky, backoff: { initialMs: 5, maxMs: 20 } });

    const stored = await eventually(async () => {
      const s = await storedEvents(runtime.db);
      return s.receipts.length === 5 ? s : undefined;
    });
    expect(calls).toBe(4);
    expect(stored.events).toHaveLength(5);
    expect(stored.counts).toEqual([{ shop: SHOP, day: '2026-11-27', placement: 'related', type: 'impression', product_id: '7001', model_version: '3', sponsored: false, count: 5 }]);
    await eventually(async () => ((await pending()) === 0 ? true : undefined));
  });

  it('stopped while the database is down, leaves the batch pending for the next consumer', async () => {
    let failing = true;
    let attempts = 0;
    const down = async (db: Db, entries: readonly StorefrontEventEntry[]) => {
      attempts++;
      if (failing) throw new Error('database is down');
      return writeEventBatch(db, entries);
    };
    const events = [entry(), entry(), entry()];
    for (const e of events) await append(e);
    await start({ writeBatch: down, backoff: { initialMs: 5, maxMs: 5 } });
    await eventually(async () => (attempts >= 3 ? true : undefined));
    await consumer!.close();
    consumer = undefined;
    expect(await pending()).toBe(3);
    expect((await storedEvents(runtime.db)).receipts).toEqual([]);

    failing = false;
    await new Promise((r) => setTimeout(r, 20));
    expect(await drainEvents(runtime, { claimIdleMs: 10 })).toMatchObject({ acked: 3, stored: 3 });
    expect(await pending()).toBe(0);
  });

  it('reads in batches of at most batchSize, each in one transaction, and trims what it acknowledged', async () => {
    const sizes: number[] = [];
    const counting = async (db: Db, entries: readonly StorefrontEventEntry[]) => {
      sizes.push(entries.length);
      return writeEventBatch(db, entries);
    };
    const pipeline = runtime.redis.pipeline();
    for (let i = 0; i < 1_200; i++) pipeline.xadd(stream, '*', STREAM_ENTRY_FIELD, encodeStreamEntry(entry({ product_id: String(i % 7) })));
    await pipeline.exec();
    await start({ writeBatch: counting, batchSize: 500, trimEveryMs: 0 });

    const counts = await eventually(async () => {
      const c = (await storedEvents(runtime.db)).counts;
      return c.reduce((a, r) => a + r.count, 0) === 1_200 ? c : undefined;
    });
    expect(sizes).toEqual([500, 500, 200]);
    expect(counts).toHaveLength(7);
    // XACK alone never shrinks a stream; the consumer trims the acknowledged part.
    // Trimming is approximate (whole stream nodes of 100 entries), so some acknowledged ones stay.
    await eventually(async () => ((await runtime.redis.xlen(stream)) < 200 ? true : undefined));
  });

  it('forgets consumers of stopped processes that hold nothing, and keeps those that do', async () => {
    await append(entry());
    await append(entry());
    const names = async () => ((await runtime.redis.xinfo('CONSUMERS', stream, STOREFRONT_EVENTS_GROUP)) as string[][]).map((f) => f[1]).sort();
    const other = createRedis(runtime.config.redisUrl, { name: 'other-consumers' });
    try {
      await other.xgroup('CREATE', stream, STOREFRONT_EVENTS_GROUP, '0');
      await other.xreadgroup('GROUP', STOREFRONT_EVENTS_GROUP, 'holds-one', 'COUNT', 1, 'STREAMS', stream, '>');
      // This one read its entry and acknowledged it: it holds nothing any more.
      const read = (await other.xreadgroup('GROUP', STOREFRONT_EVENTS_GROUP, 'holds-none', 'COUNT', 1, 'STREAMS', stream, '>')) as Array<[string, Array<[string, string[]]>]>;
      await other.xack(stream, STOREFRONT_EVENTS_GROUP, read[0]![1][0]![0]);
    } finally {
      other.disconnect();
    }
    expect(await names()).toEqual(['holds-none', 'holds-one']);
    await new Promise((r) => setTimeout(r, 20));
    // The held entry is not stale yet (claimIdleMs), so 'holds-one' keeps it and stays.
    await start({ forgetConsumersAfterMs: 10, claimIdleMs: 600_000 });
    await eventually(async () => (JSON.stringify(await names()) === JSON.stringify(['holds-one']) ? true : undefined));
  });

  it('closes at once while blocked waiting for entries', async () => {
    await start({ blockMs: 30_000 });
    await new Promise((r) => setTimeout(r, 100));
    const closed = consumer!.close().then(() => 'closed');
    const timeout = new Promise((r) => setTimeout(() => r('still blocked'), 10_000).unref());
    expect(await Promise.race([closed, timeout])).toBe('closed');
    consumer = undefined;
  });
});
