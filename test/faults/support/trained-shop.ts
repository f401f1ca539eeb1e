import type { Job, Queue } from 'bullmq';
import { enqueueTraining } from '../../../worker/train/queue';
import { seedSmallStore } from '../../worker/train/queue/support/small-store';
import type { FaultStack } from './fault-stack';

/** Waits for a job to finish and returns how it ended. */
export async function finished(queue: Queue, job: Job, ms = 120_000): Promise<{ state: string; returnvalue: unknown; failedReason?: string }> {
  const until = Date.now() + ms;
  for (;;) {
    const state = await queue.getJobState(job.id!).catch(() => 'unknown');
    if (state === 'completed' || state === 'failed') {
      const done = (await queue.getJob(job.id!))!;
      return { state, returnvalue: done.returnvalue, failedReason: done.failedReason };
    }
    if (Date.now() > until) throw new Error(`job ${job.id} still ${state} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A shop with enough history to train, trained once by the real worker so a version serves
 * before the fault: what must never go missing.
 */
export async function trainedShop(stack: FaultStack, shop: string): Promise<{ version: string }> {
  await seedSmallStore(stack.web.runtime.db, { shop });
  const job = await enqueueTraining({ queue: stack.queues.train, shop, reason: 'manual', force: true });
  const done = await finished(stack.queues.train, job);
  const result = done.returnvalue as { outcome?: string; versionId?: number } | null;
  if (done.state !== 'completed' || result?.outcome !== 'published') {
    throw new Error(`first training did not publish: ${done.state} ${JSON.stringify(result)} ${done.failedReason ?? ''}\n${stack.worker.output()}`);
  }
  return { version: String(result.versionId) };
}
