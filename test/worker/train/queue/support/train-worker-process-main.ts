import { openDatabase } from '../../../../../shared/db';
import { createLogger } from '../../../../../shared/logger';
import { createRedis } from '../../../../../shared/redis';
import { createTrainWorker } from '../../../../../worker/train/queue';
import { POSTGRES_URL, testConfig } from '../../../../support/config';
import { FITS_MODULE } from './fits';

/**
 * Runs the train worker on the test's PostgreSQL schema and queue prefix (TRAIN_TEST_SCHEMA,
 * TRAIN_TEST_PREFIX) with the blocking fit, a short lock (TRAIN_TEST_LOCK_MS), and says `ready`
 * on its IPC channel once it takes jobs. It runs until it is killed.
 */
export async function main(): Promise<void> {
  const env = process.env;
  const config = testConfig({ QUEUE_PREFIX: env.TRAIN_TEST_PREFIX });
  const db = await openDatabase({ kind: 'postgres', url: POSTGRES_URL, poolSize: 4, schema: env.TRAIN_TEST_SCHEMA });
  const train = createTrainWorker({
    config,
    db,
    redis: createRedis(config.redisUrl, { name: 'killed-train-worker' }),
    logger: createLogger({ level: 'silent' }),
    connection: createRedis(config.redisUrl, { forWorker: true, name: 'killed-train-worker' }),
    overrides: {
      fitModule: { module: FITS_MODULE, exportName: 'blockThenTrain' },
      workerOptions: { lockDuration: Number(env.TRAIN_TEST_LOCK_MS), stalledInterval: Number(env.TRAIN_TEST_LOCK_MS) },
    },
  });
  await train.worker.waitUntilReady();
  process.send?.('ready');
}
