import { Worker, type Job, type Queue } from 'bullmq';
import type { Config } from '../../../../shared/config';
import { openQueue, QUEUE, TRAIN_REASONS } from '../../../../shared/queue';
import { createRedis, type Redis } from '../../../../shared/redis';
import {
  createNewOrdersTrigger,
  enqueueTraining,
  newOrdersKey,
  scheduleTraining,
  stopShopTraining,
  trainSchedulerId,
} from '../../../../worker/train/queue';
import { testConfig } from '../../../support/config';
import { deleteKeys, eventually } from '../../../support/runtime';

const A = 'alpha.myshopify.com';
const B = 'beta.myshopify.com';

describe('train queue: one queued run per shop, the new-orders trigger, the schedule', () => {
  let config: Config;
  let redis: Redis;
  let queue: Queue;
  const workers: Worker[] = [];
  const connections: Redis[] = [];
  const workerConnection = () => {
    const connection = createRedis(config.redisUrl, { forWorker: true, name: 'test-train-worker' });
    connections.push(connection);
    return connection;
  };

  beforeEach(async () => {
    config = testConfig();
    redis = createRedis(config.redisUrl, { name: 'test-train-queue' });
    queue = openQueue(QUEUE.train, { connection: redis, prefix: config.queuePrefix });
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await Promise.all(connections.splice(0).map((c) => c.quit()));
    await queue.close();
    await deleteKeys(redis, `${config.queuePrefix}:*`);
    await redis.quit();
  });

  const waitingOf = async (shop: string) =>
    (await queue.getJobs(['wait', 'delayed', 'prioritized'])).filter((j) => j.name === 'train' && j.data.shop === shop);

  it('keeps one waiting job per shop however often and for whatever reason training is asked for', async () => {
    const first = await enqueueTraining({ queue, shop: A, reason: 'install' });
    for (let round = 0; round < 5; round++) {
      for (const reason of TRAIN_REASONS) await enqueueTraining({ queue, shop: A, reason, force: round % 2 === 0 });
    }
    await Promise.all(Array.from({ length: 20 }, () => enqueueTraining({ queue, shop: A, reason: 'orders' })));
    await enqueueTraining({ queue, shop: B, reason: 'manual' });

    const waitingA = await waitingOf(A);
    expect(waitingA.map((j) => j.id)).toEqual([first.id]);
    expect(waitingA[0]!.data).toEqual({ shop: A, reason: 'install' });
    expect((await waitingOf(B)).map((j) => j.data.reason)).toEqual(['manual']);
    expect(await queue.getJobCountByTypes('wait', 'delayed', 'prioritized', 'active')).toBe(2);
  });

  it('a finished run does not block the next one and stays on record', async () => {
    workers.push(new Worker(QUEUE.train, async () => 'done', { connection: workerConnection(), prefix: config.queuePrefix }));
    const first = await enqueueTraining({ queue, shop: A, reason: 'install' });
    await eventually(async () => ((await queue.getJobState(first.id!)) === 'completed' ? true : undefined));
    await workers[0]!.close();

    const second = await enqueueTraining({ queue, shop: A, reason: 'schedule' });
    expect(second.id).not.toBe(first.id);
    expect((await waitingOf(A)).map((j) => j.id)).toEqual([second.id]);
    expect(await queue.getJobState(first.id!)).toBe('completed');
  });

  it('a request made while the shop trains runs once after it, with the latest data, never beside it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: Array<{ reason: string; force?: boolean }> = [];
    let running = 0;
    let maxRunning = 0;
    workers.push(
      new Worker(
        QUEUE.train,
        async (job: Job) => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          seen.push({ reason: job.data.reason, force: job.data.force });
          if (seen.length === 1) await gate;
          running -= 1;
        },
        { connection: workerConnection(), prefix: config.queuePrefix, concurrency: 4 },
      ),
    );
    await enqueueTraining({ queue, shop: A, reason: 'install' });
    await eventually(async () => (seen.length === 1 ? true : undefined));
    await enqueueTraining({ queue, shop: A, reason: 'orders' });
    await enqueueTraining({ queue, shop: A, reason: 'manual', force: true });
    expect(await waitingOf(A)).toHaveLength(0);

    release();
    await eventually(async () => (seen.length === 2 && running === 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([{ reason: 'install' }, { reason: 'manual', force: true }]);
    expect(maxRunning).toBe(1);
  });

  it('a delayed run lets a burst train once; a request without delay replaces it, never the reverse', async () => {
    const delayed = await enqueueTraining({ queue, shop: A, reason: 'orders', delayMs: 60_000 });
    expect(await queue.getJobState(delayed.id!)).toBe('delayed');
    for (let i = 0; i < 5; i++) expect((await enqueueTraining({ queue, shop: A, reason: 'orders', delayMs: 60_000 })).id).toBe(delayed.id);

    const manual = await enqueueTraining({ queue, shop: A, reason: 'manual', force: true });
    expect(manual.id).not.toBe(delayed.id);
    expect(await queue.getJob(delayed.id!)).toBeUndefined();
    const waiting = await waitingOf(A);
    expect(waiting.map((j) => [j.id, j.data, j.delay])).toEqual([[manual.id, { shop: A, reason: 'manual', force: true }, 0]]);
    expect(await queue.getJobState(manual.id!)).toBe('waiting');

    // A waiting run is neither delayed nor doubled by later requests, with or without delay.
    expect((await enqueueTraining({ queue, shop: A, reason: 'orders', delayMs: 60_000 })).id).toBe(manual.id);
    expect((await enqueueTraining({ queue, shop: A, reason: 'schedule' })).id).toBe(manual.id);
    expect((await waitingOf(A)).map((j) => j.id)).toEqual([manual.id]);
    expect(await queue.getJobState(manual.id!)).toBe('waiting');
  });

  it('the threshold-th stored order queues a training and the count starts again', async () => {
    const trigger = createNewOrdersTrigger({ redis, queue, prefix: config.queuePrefix, threshold: 5, delayMs: 60_000 });
    const counted = [];
    for (let i = 0; i < 4; i++) counted.push(await trigger.countOrder(A));
    expect(counted).toEqual([1, 2, 3, 4].map((count) => ({ fired: false, count })));
    expect(await waitingOf(A)).toHaveLength(0);

    const fifth = await trigger.countOrder(A);
    expect(fifth).toMatchObject({ fired: true, count: 5 });
    const waiting = await waitingOf(A);
    expect(waiting.map((j) => [j.data, j.delay])).toEqual([[{ shop: A, reason: 'orders' }, 60_000]]);
    expect(fifth.fired && fifth.jobId).toBe(waiting[0]!.id);
    expect(await redis.exists(newOrdersKey(config.queuePrefix, A))).toBe(0);
    expect(await trigger.countOrder(A)).toEqual({ fired: false, count: 1 });
    expect(await trigger.countOrder(B)).toEqual({ fired: false, count: 1 });
  });

  it('orders counted at the same moment fire once per threshold', async () => {
    const trigger = createNewOrdersTrigger({ redis, queue, prefix: config.queuePrefix, threshold: 10 });
    const results = await Promise.all(Array.from({ length: 35 }, () => trigger.countOrder(A)));
    expect(results.filter((r) => r.fired)).toHaveLength(3);
    expect(Number(await redis.get(newOrdersKey(config.queuePrefix, A)))).toBe(5);
    expect(await waitingOf(A)).toHaveLength(1);
  });

  it('schedules one tick per shop and uninstall stops the shop’s schedule and waiting runs only', async () => {
    await scheduleTraining({ queue, shop: A, pattern: '43 4 * * *' });
    await scheduleTraining({ queue, shop: A, pattern: '43 4 * * *' });
    await scheduleTraining({ queue, shop: B, pattern: '43 4 * * *' });
    const schedulerA = await queue.getJobScheduler(trainSchedulerId(A));
    expect(schedulerA).toMatchObject({ pattern: '43 4 * * *', template: { data: { shop: A, reason: 'schedule' } } });
    expect(await queue.getJobSchedulersCount()).toBe(2);
    await enqueueTraining({ queue, shop: A, reason: 'orders' });
    await enqueueTraining({ queue, shop: B, reason: 'orders' });

    // The scheduler's next tick goes with the scheduler; the waiting run is removed by hand.
    expect(await stopShopTraining({ queue, shop: A })).toEqual({ schedulerRemoved: true, jobsRemoved: 1 });
    expect(await queue.getJobScheduler(trainSchedulerId(A))).toBeUndefined();
    expect(await queue.getJobScheduler(trainSchedulerId(B))).toBeDefined();
    expect((await queue.getJobs(['wait', 'delayed', 'prioritized'])).filter((j) => j.data.shop === A)).toHaveLength(0);
    expect(await waitingOf(B)).toHaveLength(1);
    // Removing the waiting run released the shop's deduplication: a reinstall can queue again.
    await enqueueTraining({ queue, shop: A, reason: 'install' });
    expect(await waitingOf(A)).toHaveLength(1);
  });
});
