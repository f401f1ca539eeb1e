import type { Queue } from 'bullmq';
import type { Histogram, Registry } from 'prom-client';
import type { Db } from '../../shared/db';
import { createMetricsRegistry, registerJobDuration, registerModelAge, registerQueueDepth } from '../../shared/metrics';
import type { Redis } from '../../shared/redis';

export interface WorkerMetrics {
  registry: Registry;
  jobDurations: Histogram<'queue' | 'outcome'>;
  /** Adds the queue-depth and model-age gauges once the worker's queues are open. */
  watchQueues(queues: Queue[], deps: { db: Db; redis: Redis; prefix: string }): void;
}

/** The worker's registry: job durations now, queue depth and model age when the queues open. */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = createMetricsRegistry('worker');
  const jobDurations = registerJobDuration(registry);
  let watching = false;
  return {
    registry,
    jobDurations,
    watchQueues(queues, deps) {
      if (watching) return;
      watching = true;
      registerQueueDepth(registry, queues);
      registerModelAge(registry, deps);
    },
  };
}
