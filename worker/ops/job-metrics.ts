import type { Job, Worker } from 'bullmq';
import type { Histogram } from 'prom-client';
import type { Logger } from '../../shared/logger';

/** The fields every log line about a job carries. */
export function jobLogger(logger: Logger, queue: string, job: Pick<Job, 'id' | 'data'>): Logger {
  const shop = (job.data as { shop?: unknown } | undefined)?.shop;
  return logger.child({ queue, jobId: job.id, shop: typeof shop === 'string' ? shop : undefined });
}

function seconds(job: Job): number | undefined {
  return job.processedOn && job.finishedOn ? Math.max(0, (job.finishedOn - job.processedOn) / 1000) : undefined;
}

/**
 * Observes each finished attempt of `worker`'s jobs in the job-duration histogram (BullMQ's own
 * processedOn/finishedOn stamps) and logs failures with the job's queue, id and shop.
 */
export function watchJobs(worker: Worker, { durations, logger }: { durations?: Histogram<'queue' | 'outcome'>; logger: Logger }): void {
  worker.on('completed', (job) => {
    const s = seconds(job);
    if (durations && s !== undefined) durations.observe({ queue: worker.name, outcome: 'completed' }, s);
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const s = seconds(job);
    if (durations && s !== undefined) durations.observe({ queue: worker.name, outcome: 'failed' }, s);
    jobLogger(logger, worker.name, job).warn({ attempts: job.attemptsMade, reason: error.message }, 'job failed');
  });
}
