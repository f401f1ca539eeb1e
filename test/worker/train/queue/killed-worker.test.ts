import { fork, type ChildProcess } from 'node:child_process';
import { alive } from './support/alive';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Db } from '../../../../shared/db';
import { createLogger } from '../../../../shared/logger';
import { openQueue, QUEUE } from '../../../../shared/queue';
import { createRedis, type Redis } from '../../../../shared/redis';
import { modelVersionsOf, runTraining, servingVersion } from '../../../../worker/train';
import { createTrainWorker, enqueueTraining, type TrainWorker } from '../../../../worker/train/queue';
import { POSTGRES_URL, testConfig } from '../../../support/config';
import { deleteKeys, eventually } from '../../../support/runtime';
import { FITS_MODULE } from './support/fits';
import { seedSmallStore } from './support/small-store';

const SHOP = 'killed-worker.myshopify.com';
const LOCK_MS = 2000;


async function withAdmin(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(statement);
  await admin.end();
}

/**
 * A worker process is SIGKILLed (with its fit child) in the middle of a training run, on the real
 * PostgreSQL (a second process cannot open PGlite) and Redis: the storefront keeps reading the
 * previous version, and another worker recovers the stalled job and completes it.
 */
describe('a train worker killed mid-fit', () => {
  const config = testConfig();
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const logger = createLogger({ level: 'silent' });
  let db: Db;
  let redis: Redis;
  let queue: Queue;
  let dir: string;
  let killed: ChildProcess | undefined;
  let recovering: { train: TrainWorker; connection: Redis } | undefined;

  beforeAll(async () => {
    await withAdmin(`create schema ${schema}`);
    db = await openDatabase({ kind: 'postgres', url: POSTGRES_URL, poolSize: 4, schema });
    await migrateToLatest(db);
    redis = createRedis(config.redisUrl, { name: 'test-killed-worker' });
    queue = openQueue(QUEUE.train, { connection: redis, prefix: config.queuePrefix });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'train-killed-'));
    await seedSmallStore(db, { shop: SHOP });
  });

  afterAll(async () => {
    if (killed?.pid && alive(killed.pid)) process.kill(-killed.pid, 'SIGKILL');
    await recovering?.train.close();
    await recovering?.connection.quit();
    await queue.close();
    await deleteKeys(redis, `${config.queuePrefix}:*`);
    await redis.quit();
    await db.destroy();
    await withAdmin(`drop schema ${schema} cascade`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the previous version serving, and the job is picked up again and completes', async () => {
    const previous = await runTraining({ db, redis, prefix: config.queuePrefix, shop: SHOP, logger });
    expect(previous.outcome).toBe('published');
    const previousId = String(previous.outcome === 'published' ? previous.version.id : '');
    const job = await enqueueTraining({ queue, shop: SHOP, reason: 'manual', force: true });

    killed = fork(path.join(__dirname, 'support', 'train-worker-process.cjs'), [], {
      // Its own process group: the kill takes the worker and its fit child together, as a lost machine would.
      detached: true,
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        TRAIN_TEST_PREFIX: config.queuePrefix,
        TRAIN_TEST_SCHEMA: schema,
        TRAIN_TEST_LOCK_MS: String(LOCK_MS),
        TRAIN_TEST_DIR: dir,
        TRAIN_TEST_BLOCK_MS: '120000',
      },
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => killed!.once('exit', (_code, signal) => resolve(signal)));
    const marker = path.join(dir, 'fit-started');
    const fitPid = await eventually(async () => (fs.existsSync(marker) ? Number(fs.readFileSync(marker, 'utf8')) : undefined), 60_000);
    expect(await queue.getJobState(job.id!)).toBe('active');

    process.kill(-killed.pid!, 'SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await eventually(async () => (alive(fitPid) ? undefined : true));

    // Nothing of the interrupted run reached the storefront or the version table.
    expect(await servingVersion({ redis, prefix: config.queuePrefix, shop: SHOP })).toBe(previousId);
    expect((await modelVersionsOf(db, SHOP)).map((v) => String(v.id))).toEqual([previousId]);
    expect(await queue.getJobState(job.id!)).toBe('active');

    // Another worker finds the job stalled once the dead worker's lock expires, and runs it again.
    const connection = createRedis(config.redisUrl, { forWorker: true, name: 'test-recovering-worker' });
    const train = createTrainWorker({
      config,
      db,
      redis,
      logger,
      connection,
      overrides: {
        fitModule: { module: FITS_MODULE, exportName: 'blockThenTrain', env: { ...process.env, TRAIN_TEST_DIR: dir, TRAIN_TEST_BLOCK_MS: '0' } },
        workerOptions: { lockDuration: LOCK_MS, stalledInterval: 500 },
      },
    });
    recovering = { train, connection };
    const stalled: string[] = [];
    train.worker.on('stalled', (jobId) => stalled.push(jobId));
    await eventually(async () => ((await queue.getJobState(job.id!)) === 'completed' ? true : undefined), 60_000);

    const done = (await queue.getJob(job.id!))!;
    expect(stalled).toEqual([job.id]);
    expect(done.attemptsStarted).toBe(2);
    expect(done.returnvalue).toMatchObject({ ok: true, kind: 'run', outcome: 'published' });
    const serving = await servingVersion({ redis, prefix: config.queuePrefix, shop: SHOP });
    expect(serving).toBe(String(done.returnvalue.versionId));
    expect(serving).not.toBe(previousId);
  });
});
