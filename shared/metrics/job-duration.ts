import { Histogram, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './registry';

/** Seconds: webhook writes take milliseconds, syncs and trainings minutes. */
const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

export type JobOutcome = 'completed' | 'failed';

/** `shelfwise_job_duration_seconds{queue,outcome}`: from a job's start to its end, per attempt. */
export function registerJobDuration(registry: Registry): Histogram<'queue' | 'outcome'> {
  return new Histogram({
    name: `${METRIC_PREFIX}job_duration_seconds`,
    help: 'Job processing time per attempt, by queue and outcome (completed, failed)',
    labelNames: ['queue', 'outcome'],
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
}
