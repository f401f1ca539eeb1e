import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './registry';

/** The job states an operator watches: a growing `waiting` or `failed` is the first sign of trouble. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * `shelfwise_queue_jobs{queue,state}`: read from Redis at each scrape (BullMQ's job counts),
 * so it is exact whichever process moved the jobs. A scrape while Redis is down reports nothing
 * for the queues rather than stale numbers.
 */
export function registerQueueDepth(registry: Registry, queues: Queue[]): Gauge {
  return new Gauge({
    name: `${METRIC_PREFIX}queue_jobs`,
    help: 'Jobs per queue and state (waiting, active, delayed, failed), read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...QUEUE_STATES).catch(() => null)));
      queues.forEach((queue, i) => {
        const count = counts[i];
        if (!count) return;
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, count[state] ?? 0);
      });
    },
  });
}
