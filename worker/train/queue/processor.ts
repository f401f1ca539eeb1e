import { UnrecoverableError, WaitingError, type Job, type Queue } from 'bullmq';
import type { Db } from '../../../shared/db';
import type { Logger } from '../../../shared/logger';
import { trainJob } from '../../../shared/queue';
import type { Redis } from '../../../shared/redis';
import { runTraining, type RunTrainingOptions, type TrainingRun } from '../run-training';
import type { TrainInput, TrainOutcome } from '../train-from-log';
import { enqueueTraining } from './enqueue';
import { FitAbortedError } from './errors';
import type { NewOrdersTrigger } from './new-orders-trigger';
import { TRAIN_SCHEDULE_JOB, trainSchedulerId } from './schedule';

/** The abort reason the worker gives running fits when it shuts down. */
export const SHUTDOWN = 'worker shutting down';

/** A fit that can be stopped: the child-process runner in production. */
export type AbortableFit = (input: TrainInput, signal: AbortSignal | undefined) => Promise<TrainOutcome>;

export interface TrainProcessorDeps {
  db: Db;
  redis: Redis;
  /** QUEUE_PREFIX: serving keys and the order counters live under it. */
  prefix: string;
  logger: Logger;
  clock?: () => Date;
  /** The `train` queue: scheduler ticks queue runs on it. */
  queue: Queue;
  trigger: NewOrdersTrigger;
  fit: AbortableFit;
  /** Passed to runTraining as is (thresholds and list length, publish policy, retention). */
  runOptions?: Pick<RunTrainingOptions, 'fitOptions' | 'policy' | 'retention'>;
}

/** What a finished train job records as its return value: small, the version lives in the DB. */
export type TrainJobResult =
  | { ok: true; kind: 'run'; shop: string; outcome: TrainingRun['outcome']; versionId: number | null; timings: TrainingRun['timings'] }
  | { ok: true; kind: 'schedule'; shop: string; queuedJobId: string | undefined }
  | { ok: false; shop: string; reason: 'shop_inactive' };

async function shopIsActive(db: Db, shop: string): Promise<boolean> {
  const row = await db.selectFrom('shops').select('active').where('domain', '=', shop).executeTakeFirst();
  return row?.active === true;
}

/**
 * The `train` queue's processor. A scheduler tick queues a run through the per-shop
 * deduplication; a run snapshots the store, fits in `fit` (a child process), and publishes
 * through runTraining. A fit aborted because the worker shuts down puts the job back in wait
 * (no attempt spent), so the next worker starts it again; a crash fails the attempt and retries.
 */
export function createTrainProcessor(deps: TrainProcessorDeps) {
  const { db } = deps;
  return async (job: Job, token?: string, signal?: AbortSignal): Promise<TrainJobResult> => {
    const parsed = trainJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed train job: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    const { shop, reason, force } = parsed.data;
    // Every line about this job carries its queue, id and shop.
    const logger = deps.logger.child({ queue: job.queueName, jobId: job.id, shop });
    if (!(await shopIsActive(db, shop))) {
      // Uninstalled: a schedule left over from before must not come back every day.
      await deps.queue.removeJobScheduler(trainSchedulerId(shop));
      logger.info({ shop, reason }, 'training skipped: shop inactive');
      return { ok: false, shop, reason: 'shop_inactive' };
    }
    if (job.name === TRAIN_SCHEDULE_JOB) {
      const queued = await enqueueTraining({ queue: deps.queue, shop, reason: 'schedule' });
      return { ok: true, kind: 'schedule', shop, queuedJobId: queued.id };
    }

    // The orders counted so far are in this run's snapshot.
    await deps.trigger.reset(shop);
    try {
      const run = await runTraining({
        db,
        redis: deps.redis,
        prefix: deps.prefix,
        shop,
        logger,
        clock: deps.clock,
        force,
        fit: (input) => deps.fit(input, signal),
        ...deps.runOptions,
      });
      const versionId = run.outcome === 'unchanged' ? run.servingVersionId : run.version.id;
      return { ok: true, kind: 'run', shop, outcome: run.outcome, versionId, timings: run.timings };
    } catch (error) {
      if (error instanceof FitAbortedError && signal?.reason === SHUTDOWN && token) {
        await job.moveToWait(token);
        logger.info({ shop, jobId: job.id }, 'training interrupted by shutdown: job back in wait');
        throw new WaitingError();
      }
      throw error;
    }
  };
}
