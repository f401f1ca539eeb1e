import path from 'node:path';
import { Worker, type ConnectionOptions, type WorkerOptions } from 'bullmq';
import type { Config } from '../../../shared/config';
import type { Db } from '../../../shared/db';
import type { Logger } from '../../../shared/logger';
import { openQueue, QUEUE } from '../../../shared/queue';
import type { Redis } from '../../../shared/redis';
import type { TrainOutcome } from '../train-from-log';
import { fitInChildProcess } from './fit-in-child-process';
import { createNewOrdersTrigger } from './new-orders-trigger';
import { createTrainProcessor, SHUTDOWN, type AbortableFit, type TrainProcessorDeps } from './processor';

/** The pure fit every production run uses, loaded by the child process. */
export const TRAIN_FROM_LOG = { module: path.join(__dirname, '..', 'train-from-log.ts'), exportName: 'trainFromLog' };

export interface TrainWorkerOptions {
  config: Config;
  db: Db;
  /** A regular connection for the order counters and the serving keys. */
  redis: Redis;
  logger: Logger;
  /** A worker connection (maxRetriesPerRequest: null); shared with the train queue it schedules on. */
  connection: ConnectionOptions;
  clock?: () => Date;
  /** Overrides for tests: another fit module, short locks, small thresholds. */
  overrides?: {
    fitModule?: { module: string; exportName: string; env?: NodeJS.ProcessEnv };
    workerOptions?: Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'>;
    runOptions?: TrainProcessorDeps['runOptions'];
  };
}

export interface TrainWorker {
  worker: Worker;
  /**
   * Stops taking jobs and waits up to `graceMs` (default 0) for running fits; fits still running
   * then are killed and their jobs go back to wait, to start over on the next worker.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * The BullMQ worker of the `train` queue. Each fit runs in a forked child process, so this
 * process's event loop keeps renewing the job's lock (and other workers' locks) however long
 * the fit blocks; the database stays here (PGlite is single-process).
 */
export function createTrainWorker({ config, db, redis, logger, connection, clock, overrides = {} }: TrainWorkerOptions): TrainWorker {
  const queue = openQueue(QUEUE.train, { connection, prefix: config.queuePrefix });
  const fitModule = overrides.fitModule ?? TRAIN_FROM_LOG;
  const fit: AbortableFit = (input, signal) => fitInChildProcess<TrainOutcome>({ ...fitModule, args: [input], signal });
  const processJob = createTrainProcessor({
    db,
    redis,
    prefix: config.queuePrefix,
    logger,
    clock,
    queue,
    trigger: createNewOrdersTrigger({ redis, queue, prefix: config.queuePrefix, threshold: config.train.minNewOrders, delayMs: config.train.triggerDelayMs }),
    fit,
    runOptions: overrides.runOptions,
  });
  const worker = new Worker(QUEUE.train, processJob, {
    connection,
    prefix: config.queuePrefix,
    concurrency: config.train.concurrency,
    ...overrides.workerOptions,
  });
  // A lock lost (Redis unreachable past lockDuration) means another worker may take the job: stop
  // this fit rather than run two of the same shop; the stalled-job check re-queues it.
  worker.on('lockRenewalFailed', (jobIds) => {
    logger.warn({ jobIds }, 'train job lock lost: fit stopped');
    for (const id of jobIds) worker.cancelJob(id, 'lock lost');
  });
  worker.on('closed', () => {
    queue.close().catch((error) => logger.warn({ err: error }, 'train queue close failed'));
  });
  return {
    worker,
    async close({ graceMs = 0 } = {}) {
      const closed = worker.close();
      const grace = new Promise<'grace'>((resolve) => setTimeout(resolve, graceMs, 'grace').unref());
      if ((await Promise.race([closed.then(() => 'closed' as const), grace])) === 'grace') worker.cancelAllJobs(SHUTDOWN);
      await closed;
    },
  };
}
