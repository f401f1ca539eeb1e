import type { Job, Queue } from 'bullmq';
import { openQueue, QUEUE, type IngestJob } from '../../../../shared/queue';
import { readServingList } from '../../../../shared/serving';
import { startWorkers, type RunningWorkers } from '../../../../worker';
import { newOrdersKey, scheduleTraining, trainSchedulerId } from '../../../../worker/train/queue';
import { orderPayload } from '../../../support/shopify-payloads';
import { eventually, testRuntime } from '../../../support/runtime';

const SHOP = 'wired.myshopify.com';

/**
 * The worker process as started in production (startWorkers), on PGlite and the real Redis:
 * stored orders/create deliveries count toward the shop's training, and app/uninstalled stops it.
 */
describe('train queue wiring in startWorkers', () => {
  let rt: Awaited<ReturnType<typeof testRuntime>>;
  let workers: RunningWorkers;
  let ingest: Queue;
  let train: Queue;
  let delivery = 0;

  beforeAll(async () => {
    rt = await testRuntime({ backend: 'pglite', config: { TRAIN_MIN_NEW_ORDERS: '3', TRAIN_TRIGGER_DELAY_SECONDS: '1' } });
    await rt.db.insertInto('shops').values({ domain: SHOP, active: true, currency: 'GBP', installed_at: new Date() }).execute();
    workers = await startWorkers(rt);
    ingest = openQueue(QUEUE.ingest, { connection: rt.redis, prefix: rt.config.queuePrefix });
    train = openQueue(QUEUE.train, { connection: rt.redis, prefix: rt.config.queuePrefix });
  });

  afterAll(async () => {
    await workers.close();
    await ingest.close();
    await train.close();
    await rt.close();
  });

  const deliver = async (topic: string, body: unknown) => {
    delivery += 1;
    const data: IngestJob = { shop: SHOP, topic, webhookId: `wh-${delivery}`, receivedAt: new Date().toISOString(), body: JSON.stringify(body) };
    const job = await ingest.add('ingest', data);
    await eventually(async () => ((await ingest.getJobState(job.id!)) === 'completed' ? true : undefined));
  };
  const trainJobs = async () => (await train.getJobs(['wait', 'active', 'completed', 'failed', 'delayed'])).filter((j: Job) => j.name === 'train');
  const counted = async () => Number((await rt.redis.get(newOrdersKey(rt.config.queuePrefix, SHOP))) ?? 0);

  it('the third stored new order queues a training run after the trigger delay, which completes', async () => {
    await deliver('orders/create', orderPayload({ id: 1 }));
    await deliver('orders/create', orderPayload({ id: 1 })); // Shopify's retry of the same order
    await deliver('orders/updated', orderPayload({ id: 2 }));
    await deliver('orders/create', orderPayload({ id: 3 }));
    expect(await counted()).toBe(2);
    expect(await trainJobs()).toHaveLength(0);

    await deliver('orders/create', orderPayload({ id: 4 }));
    const [job] = await eventually(async () => {
      const jobs = await trainJobs();
      return jobs.length ? jobs : undefined;
    });
    expect(job!.data).toEqual({ shop: SHOP, reason: 'orders' });
    expect(job!.delay).toBe(1000);
    await eventually(async () => ((await train.getJobState(job!.id!)) === 'completed' ? true : undefined), 60_000);
    // Three orders is too small a store to learn from: the trending fallback serves.
    expect((await train.getJob(job!.id!))!.returnvalue).toMatchObject({ ok: true, kind: 'run', outcome: 'not_enough_data' });
    expect(await counted()).toBe(0);
  });

  it('app/uninstalled removes the shop’s training schedule and its published lists', async () => {
    await scheduleTraining({ queue: train, shop: SHOP, pattern: rt.config.train.cron });
    expect(await train.getJobScheduler(trainSchedulerId(SHOP))).toBeDefined();
    const served = () => readServingList({ redis: rt.redis, prefix: rt.config.queuePrefix, shop: SHOP, placement: 'trending' });
    // The first test's run published the trending fallback.
    expect((await served()).version).not.toBeNull();
    await deliver('app/uninstalled', { id: 1, domain: SHOP });
    await eventually(async () => ((await train.getJobScheduler(trainSchedulerId(SHOP))) ? undefined : true));
    expect(await served()).toEqual({ version: null, source: 'none', items: [] });
  });
});
