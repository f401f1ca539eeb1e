import { QueueEvents } from 'bullmq';
import { createRedis } from '../../shared/redis';
import { overviewReport, placementsReport } from '../../shared/reports';
import { storefrontEventDeadLetterKey, type StorefrontEventEntry } from '../../shared/tracking';
import { writeEventBatch } from '../../worker/events';
import { PRIVACY_QUEUE, purgeRawEvents, PURGE_EVENTS_JOB, startPurgeJob } from '../../worker/privacy';
import { testRuntime } from '../support/runtime';

const SHOP = 'retention.myshopify.com';
const DAY = 86_400_000;
// 2026-11-28T12:00:00Z
const NOW = Date.UTC(2026, 10, 28, 12);

const event = (id: string, daysAgo: number, type: StorefrontEventEntry['type'] = 'click'): StorefrontEventEntry => ({
  v: 1, shop: SHOP, id, type, occurred_at: NOW - daysAgo * DAY, received_at: NOW - daysAgo * DAY, consent: true,
  visitor_key: `visitor-${id}`, customer_key: null, impression_id: `imp-${id}`, placement: 'for_you', product_id: '42', position: 1,
  model_version: '3', sponsored: false, token: `tok-${id}`,
});

describe.each(['pglite', 'postgres'] as const)('raw event retention on %s', (backend) => {
  let rt: Awaited<ReturnType<typeof testRuntime>>;
  beforeEach(async () => {
    rt = await testRuntime({ backend });
    // Two past the 90-day retention, one on its edge (kept: strictly older goes), two recent.
    await writeEventBatch(rt.db, [event('old-1', 120), event('old-2', 91, 'impression'), event('edge', 90), event('new-1', 10), event('new-2', 0, 'add_to_cart')]);
  });
  afterEach(() => rt.close());

  const range = { from: '2026-07-01', to: '2026-11-28' };
  const rollups = async () => ({
    overview: await overviewReport(rt.db, SHOP, range),
    placements: await placementsReport(rt.db, SHOP, range),
    counts: await rt.db.selectFrom('storefront_event_counts').selectAll().orderBy('day').orderBy('type').execute(),
    daily: await rt.db.selectFrom('storefront_event_daily').selectAll().orderBy('day').execute(),
  });
  const eventIds = async () => (await rt.db.selectFrom('storefront_events').select('id').orderBy('id').execute()).map((e) => e.id);

  it('deletes raw events and receipts older than the retention; daily counts stay as they were', async () => {
    const before = await rollups();
    expect(before.counts.length).toBe(5);
    expect(before.placements.rows).toEqual([expect.objectContaining({ placement: 'for_you', impressions: 1, clicks: 3, addToCarts: 1 })]);
    const purged = await purgeRawEvents(rt.db, { now: new Date(NOW), retentionDays: 90 });
    expect(purged).toEqual({ before: new Date(NOW - 90 * DAY), events: 2, receipts: 2 });
    expect(await eventIds()).toEqual(['edge', 'new-1', 'new-2']);
    expect((await rt.db.selectFrom('storefront_event_receipts').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual(['edge', 'new-1', 'new-2']);
    expect(await rollups()).toEqual(before);
    // Again: nothing more to do.
    expect(await purgeRawEvents(rt.db, { now: new Date(NOW), retentionDays: 90 })).toMatchObject({ events: 0, receipts: 0 });
    expect(await purgeRawEvents(rt.db, { now: new Date(NOW), retentionDays: 5 })).toMatchObject({ events: 2, receipts: 2 });
    expect(await eventIds()).toEqual(['new-2']);
    expect(await rollups()).toEqual(before);
  });

  it('runs as the worker’s daily job: one scheduler on the privacy queue with the configured cron, the job purges', async () => {
    const connection = createRedis(rt.config.redisUrl, { forWorker: true, name: 'test-purge' });
    const purge = await startPurgeJob({ db: rt.db, logger: rt.logger, connection, redis: rt.redis, prefix: rt.config.queuePrefix, retentionDays: 30, cron: '11 2 * * *', now: () => new Date(NOW) });
    const eventsConnection = createRedis(rt.config.redisUrl, { forWorker: true, name: 'test-purge-events' });
    const events = new QueueEvents(PRIVACY_QUEUE, { connection: eventsConnection, prefix: rt.config.queuePrefix });
    try {
      // A second worker process finds the same scheduler: still one, its pending run untouched.
      const pending = async () => (await purge.queue.getDelayed()).map((j) => `${j.id}@${j.timestamp}`);
      const pendingBefore = await pending();
      expect(pendingBefore).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const again = await startPurgeJob({ db: rt.db, logger: rt.logger, connection, redis: rt.redis, prefix: rt.config.queuePrefix, retentionDays: 30, cron: '11 2 * * *', now: () => new Date(NOW) });
      await again.close();
      expect(await pending()).toEqual(pendingBefore);
      expect(await purge.queue.getJobSchedulers()).toEqual([expect.objectContaining({ key: PURGE_EVENTS_JOB, pattern: '11 2 * * *', tz: 'UTC' })]);
      // Dead-lettered entries (raw fields, pseudonyms included) past the retention go with the events.
      const deadLetters = storefrontEventDeadLetterKey(rt.config.queuePrefix);
      for (const daysAgo of [45, 31, 29, 1]) await rt.redis.xadd(deadLetters, `${NOW - daysAgo * DAY}-0`, 'reason', 'bad', 'fields', `{"visitor_key":"v-${daysAgo}"}`);
      await events.waitUntilReady();
      const job = await purge.queue.add(PURGE_EVENTS_JOB, {});
      const result = await job.waitUntilFinished(events, 30_000);
      expect(result).toMatchObject({ events: 3, receipts: 3, deadLetters: 2 });
      expect(await eventIds()).toEqual(['new-1', 'new-2']);
      expect((await rt.redis.xrange(deadLetters, '-', '+')).map(([id]) => id)).toEqual([`${NOW - 29 * DAY}-0`, `${NOW - DAY}-0`]);
    } finally {
      await events.close();
      await purge.close();
      await connection.quit();
      await eventsConnection.quit();
    }
  });
});
