import type { Job } from 'bullmq';
import { enqueueTraining } from '../../worker/train/queue';
import { planDeliveries } from './support/deliveries';
import { lostAtTheDoor } from './support/door-losses';
import { ingestDrained, startFaultStack, type FaultStack } from './support/fault-stack';
import { expectNothingLost, printCounts } from './support/report';
import { sendDeliveries } from './support/send-deliveries';
import { watchServing } from './support/serving-watch';
import { checkStore } from './support/store-check';
import { finished, trainedShop } from './support/trained-shop';
import type { WorkerProcess } from './support/worker-process';
import { TEST_SECRET } from '../support/config';

const SHOP = 'fault-kill.myshopify.com';
const INGEST_SHOP = 'fault-kill-ingest.myshopify.com';

/**
 * The real `shelfwise worker` is SIGKILLed (with its training child: the whole process group)
 * while it writes deliveries and fits a model. A new worker starts; once the dead one's locks
 * expire (BullMQ's lockDuration, 30 s) its active jobs are found stalled and run again.
 */
describe('fault: a worker SIGKILLed mid-job, a new one takes over', () => {
  let stack: FaultStack;
  let served: string;
  let replacement: WorkerProcess | undefined;

  beforeAll(async () => {
    stack = await startFaultStack();
    served = (await trainedShop(stack, SHOP)).version;
  }, 180_000);
  afterAll(async () => {
    await replacement?.kill('SIGTERM');
    await stack?.close();
  });

  it('retries the stalled jobs: no delivery lost, no row duplicated, the training completes, a model serves throughout', async () => {
    const plan = planDeliveries({ shop: INGEST_SHOP, products: 150, orders: 250, versions: 3, refunds: 100, duplicates: 600, seed: 37 });
    const serving = await watchServing({ url: stack.redis.url, prefix: stack.config.queuePrefix, shop: SHOP });
    let training: Job | undefined;
    let kill: Promise<unknown> | undefined;
    let activeAtKill = { ingest: 0, train: 0 };
    const tally = await sendDeliveries({
      url: stack.web.url,
      secret: TEST_SECRET,
      shop: INGEST_SHOP,
      deliveries: plan.deliveries,
      onProgress: (t) => {
        if (kill || t.sent < plan.deliveries.length / 3) return;
        kill = (async () => {
          // A training starts while deliveries are being written; the kill comes the moment it is taken.
          training = await enqueueTraining({ queue: stack.queues.train, shop: SHOP, reason: 'manual', force: true });
          for (let i = 0; i < 3000 && (await stack.queues.train.getJobState(training.id!)) !== 'active'; i++) await new Promise((r) => setTimeout(r, 10));
          const signal = await stack.worker.kill('SIGKILL');
          if (signal !== 'SIGKILL') throw new Error(`worker ended with ${String(signal)}`);
          // Frozen until the locks expire: what the dead worker held.
          activeAtKill = { ingest: await stack.queues.ingest.getActiveCount(), train: await stack.queues.train.getActiveCount() };
          replacement = await stack.startWorker();
        })();
      },
    });
    await kill;
    const trained = await finished(stack.queues.train, training!, 150_000);
    const drained = await ingestDrained(stack.queues.ingest, 150_000);
    await serving.stop();
    const jobs = await stack.queues.ingest.getJobs(['completed'], 0, -1);
    const stalledIngest = jobs.filter((j) => (j.attemptsStarted ?? 0) > 1 || j.stalledCounter > 0).length;
    const trainJob = (await stack.queues.train.getJob(training!.id!))!;
    const check = await checkStore(stack.web.runtime.db, INGEST_SHOP, plan.expected);
    const doorLosses = await lostAtTheDoor({ queue: stack.queues.ingest, shop: INGEST_SHOP, deliveries: plan.deliveries, refusedThenDuplicate: tally.retriedThenDuplicate });
    printCounts('worker SIGKILLed mid-job', {
      distinct: plan.distinct,
      tally,
      check,
      serving,
      extra: {
        'refused then duplicate, never queued (lost at the door)': doorLosses.length,
        'active at kill (ingest/train)': `${activeAtKill.ingest}/${activeAtKill.train}`,
        'stalled ingest jobs retried': stalledIngest,
        'train job stalled / attempts started': `${trainJob.stalledCounter}/${trainJob.attemptsStarted ?? 0}`,
        'train outcome': `${trained.state} ${(trained.returnvalue as { outcome?: string } | null)?.outcome ?? trained.failedReason}`,
        'ingest jobs failed for good': drained.failed,
      },
    });

    expect(activeAtKill.train).toBe(1);
    // Found stalled once the dead worker's lock expired, and run again by the new worker.
    expect(trainJob.stalledCounter).toBe(1);
    expect(trained.state).toBe('completed');
    expect(stalledIngest).toBeGreaterThanOrEqual(activeAtKill.ingest > 0 ? 1 : 0);
    expectNothingLost({ tally, check, doorLosses, drained });
    expect(serving.missing).toEqual([]);
    expect(serving.versions[0]).toBe(served);
  }, 240_000);
});
