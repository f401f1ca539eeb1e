import fs from 'node:fs';
import { alive } from './support/alive';
import os from 'node:os';
import path from 'node:path';
import { Worker, type Job, type Queue } from 'bullmq';
import { openQueue, QUEUE } from '../../../../shared/queue';
import { createRedis, type Redis } from '../../../../shared/redis';
import { modelVersionsOf, servingVersion, trainFromLog } from '../../../../worker/train';
import {
  createNewOrdersTrigger,
  createTrainProcessor,
  createTrainWorker,
  enqueueTraining,
  scheduleTraining,
  trainSchedulerId,
  type TrainJobResult,
  type TrainWorker,
  type TrainWorkerOptions,
} from '../../../../worker/train/queue';
import { eventually, testRuntime } from '../../../support/runtime';
import { blockEventLoop, FITS_MODULE } from './support/fits';
import { seedSmallStore } from './support/small-store';

type Runtime = Awaited<ReturnType<typeof testRuntime>>;
const SHOP = 'queue-train.myshopify.com';

/**
 * The train worker on PGlite and the real Redis, each fit in a real child process. The fits in
 * support/fits.ts wrap the real trainFromLog to crash, or to hold the child's event loop.
 */
describe('train worker', () => {
  let rt: Runtime;
  let queue: Queue;
  let dir: string;
  const running: Array<{ train: TrainWorker; connection: Redis }> = [];

  beforeAll(async () => {
    rt = await testRuntime({ backend: 'pglite' });
    await seedSmallStore(rt.db, { shop: SHOP });
    queue = openQueue(QUEUE.train, { connection: rt.redis, prefix: rt.config.queuePrefix });
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'train-queue-'));
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map(async ({ train, connection }) => {
      await train.close();
      await connection.quit();
    }));
    await queue.obliterate({ force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await queue.close();
    await rt.close();
  });

  /** A fit from support/fits.ts; the child learns where to mark and how long to block from its environment. */
  const testFit = (exportName: string, blockMs = 0) => ({
    module: FITS_MODULE,
    exportName,
    env: { ...process.env, TRAIN_TEST_DIR: dir, TRAIN_TEST_BLOCK_MS: String(blockMs) },
  });
  const start = (overrides: TrainWorkerOptions['overrides'] = {}) => {
    const connection = createRedis(rt.config.redisUrl, { forWorker: true, name: 'test-train-worker' });
    const train = createTrainWorker({ config: rt.config, db: rt.db, redis: rt.redis, logger: rt.logger, connection, overrides });
    running.push({ train, connection });
    return train;
  };
  const finished = async (job: Job) =>
    eventually(async () => {
      const state = await queue.getJobState(job.id!);
      return state === 'completed' || state === 'failed' ? ((await queue.getJob(job.id!))! as Job<unknown, TrainJobResult>) : undefined;
    }, 60_000);
  const marked = (name: string) => eventually(async () => (fs.existsSync(path.join(dir, name)) ? Number(fs.readFileSync(path.join(dir, name), 'utf8')) : undefined), 30_000);
  const serving = () => servingVersion({ redis: rt.redis, prefix: rt.config.queuePrefix, shop: SHOP });

  it('trains a shop in a child process and publishes what it decided', async () => {
    start();
    const job = await finished(await enqueueTraining({ queue, shop: SHOP, reason: 'install' }));
    expect(await queue.getJobState(job.id!)).toBe('completed');
    const result = job.returnvalue;
    // The small store is big enough to learn from: a trained blend, judged and published.
    expect(result).toMatchObject({ outcome: 'published' });
    expect(result).toMatchObject({ ok: true, kind: 'run', shop: SHOP });
    if (!result.ok || result.kind !== 'run') return;
    const [version] = await modelVersionsOf(rt.db, SHOP);
    expect(result.versionId).toBe(version!.id);
    if (result.outcome === 'published' || result.outcome === 'not_enough_data') expect(await serving()).toBe(String(version!.id));
    expect(version!.fit_seconds).toBeGreaterThan(0);
  });

  it('a training child that crashes fails the attempt; the job retries and completes', async () => {
    const train = start({ fitModule: testFit('crashOnceThenTrain') });
    const failures: string[] = [];
    train.worker.on('failed', (_job, error) => failures.push(`${error.name}: ${error.message}`));
    const job = await finished(await enqueueTraining({ queue, shop: SHOP, reason: 'manual', force: true, jobOptions: { backoff: { type: 'fixed', delay: 100 } } }));
    expect(await marked('crashed')).toBeGreaterThan(0);
    expect(failures).toEqual(['FitCrashedError: training child was killed by SIGKILL before it answered']);
    // BullMQ keeps the first attempt's reason on the job; it completed on the second.
    expect(await queue.getJobState(job.id!)).toBe('completed');
    expect(job.attemptsMade).toBe(2);
    expect(job.stacktrace).toHaveLength(1);
    expect(job.returnvalue).toMatchObject({ ok: true, kind: 'run' });
  });

  it('keeps renewing the lock while the fit blocks the child for longer than the lock lasts', async () => {
    const train = start({
      fitModule: testFit('blockThenTrain', 4000),
      workerOptions: { lockDuration: 1000, stalledInterval: 500 },
    });
    const stalled: string[] = [];
    train.worker.on('stalled', (jobId) => stalled.push(jobId));
    const job = await finished(await enqueueTraining({ queue, shop: SHOP, reason: 'manual', force: true }));
    await marked('fit-started');
    expect(stalled).toEqual([]);
    expect(job.failedReason).toBeFalsy();
    expect(job.attemptsMade).toBe(1);
    expect(job.attemptsStarted).toBe(1);
    expect(job.returnvalue).toMatchObject({ ok: true, kind: 'run' });
  });

  it('control: the same fit blocking the worker’s own event loop loses the lock and stalls', async () => {
    const connection = createRedis(rt.config.redisUrl, { forWorker: true, name: 'test-train-worker' });
    const processJob = createTrainProcessor({
      db: rt.db,
      redis: rt.redis,
      prefix: rt.config.queuePrefix,
      logger: rt.logger,
      queue,
      trigger: createNewOrdersTrigger({ redis: rt.redis, queue, prefix: rt.config.queuePrefix, threshold: 25 }),
      fit: async (input) => {
        blockEventLoop(4000);
        return trainFromLog(input);
      },
    });
    // Runs still going when the test ends are awaited, so none writes into the next test.
    let inFlight: Promise<unknown> = Promise.resolve();
    const tracked: typeof processJob = (job, token, signal) => {
      const run = processJob(job, token, signal);
      inFlight = run.catch(() => undefined);
      return run;
    };
    const worker = new Worker(QUEUE.train, tracked, { connection, prefix: rt.config.queuePrefix, lockDuration: 1000, stalledInterval: 500 });
    const stalled: string[] = [];
    worker.on('stalled', (jobId) => stalled.push(jobId));
    worker.on('error', () => undefined);
    try {
      const job = await enqueueTraining({ queue, shop: SHOP, reason: 'manual', force: true });
      await eventually(async () => (stalled.includes(job.id!) ? true : undefined), 30_000);
    } finally {
      await worker.close(true);
      await inFlight;
      await connection.quit();
    }
  });

  it('closing waits for a fit that ends within the grace period', async () => {
    const train = start({ fitModule: testFit('blockThenTrain', 1500) });
    const job = await enqueueTraining({ queue, shop: SHOP, reason: 'manual', force: true });
    await marked('fit-started');
    await train.close({ graceMs: 60_000 });
    expect(await queue.getJobState(job.id!)).toBe('completed');
  });

  it('closing kills a fit that outlasts the grace period and puts its job back in wait, no attempt spent', async () => {
    const before = await serving();
    const versions = (await modelVersionsOf(rt.db, SHOP)).length;
    const train = start({ fitModule: testFit('blockThenTrain', 120_000) });
    const job = await enqueueTraining({ queue, shop: SHOP, reason: 'manual', force: true });
    const childPid = await marked('fit-started');
    await train.close({ graceMs: 200 });

    expect(await queue.getJobState(job.id!)).toBe('waiting');
    const requeued = (await queue.getJob(job.id!))!;
    expect(requeued.attemptsMade).toBe(0);
    await eventually(async () => (alive(childPid) ? undefined : true));
    expect(await serving()).toBe(before);
    expect((await modelVersionsOf(rt.db, SHOP)).length).toBe(versions);

    // The next worker starts it over and finishes it.
    start({ fitModule: testFit('blockThenTrain', 0) });
    const done = await finished(job);
    expect(done.returnvalue).toMatchObject({ ok: true, kind: 'run' });
    expect(done.attemptsMade).toBe(1);
  });

  it('fails a malformed job for good, without retrying it', async () => {
    start();
    const job = await finished(await queue.add('train', { shop: 'not a shop', reason: 'whenever' }));
    expect(await queue.getJobState(job.id!)).toBe('failed');
    expect(job.failedReason).toMatch(/^malformed train job: shop: must be a \*\.myshopify\.com domain; reason: /);
    expect(job.attemptsMade).toBe(1);
  });

  it('a scheduled tick queues a run of the shop, which trains', async () => {
    start();
    await scheduleTraining({ queue, shop: SHOP, pattern: '* * * * * *' });
    const run = await eventually(async () => (await queue.getJobs(['completed'])).find((j) => j.name === 'train' && j.data.reason === 'schedule'), 30_000);
    expect(run.returnvalue).toMatchObject({ ok: true, kind: 'run', shop: SHOP });
    await queue.removeJobScheduler(trainSchedulerId(SHOP));
  });
});
