import { Queue, type Job } from 'bullmq';
import fc from 'fast-check';
import { startWebServer } from '../../app';
import { QUEUE, WEBHOOK_TOPICS } from '../../shared/queue';
import { startWorkers, type RunningWorkers } from '../../worker';
import { TEST_SECRET } from '../support/config';
import { eventually, testRuntime } from '../support/runtime';
import { orderPayload, productPayload } from '../support/shopify-payloads';
import { postWebhook } from '../support/webhooks';
import { FUZZ_TIMEOUT_MS, runs } from './support/fuzz-runs';
import { FuzzTally } from './support/fuzz-tally';
import { hostileValue, mutated } from './support/hostile-values';

const SHOP = 'fuzz-worker.myshopify.com';

/** Hostile bodies: bytes, JSON of any shape, a real order or product broken in places (a few still store). */
const unstorable = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
  mutated(orderPayload()).map((v) => JSON.stringify(v)),
  mutated(productPayload()).map((v) => JSON.stringify(v)),
);

jest.setTimeout(FUZZ_TIMEOUT_MS);

describe('fuzz: the running ingest worker on signed hostile deliveries (HTTP → BullMQ → worker → PostgreSQL)', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: { url: string; close(): Promise<void> };
  let ingestQueue: Queue;
  let workers: RunningWorkers;
  const tally = new FuzzTally();

  beforeAll(async () => {
    runtime = await testRuntime({ backend: 'postgres' });
    server = await startWebServer(runtime, { port: 0 });
    ingestQueue = new Queue(QUEUE.ingest, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
    workers = await startWorkers(runtime, { concurrency: 4 });
  });
  afterAll(async () => {
    tally.write();
    await workers?.close();
    await server?.close();
    await ingestQueue?.close();
    await runtime?.close();
  });

  it('fails each malformed one for good and visibly on its first attempt, keeps running, and stores the good delivery sent after them', async () => {
    const deliveries = fc.sample(fc.tuple(fc.constantFrom(...WEBHOOK_TOPICS), unstorable), { numRuns: runs(1) });
    for (const [topic, body] of deliveries) {
      const res = await postWebhook(server.url, TEST_SECRET, { topic, shop: SHOP, body });
      expect(res.status).toBe(200);
    }
    await postWebhook(server.url, TEST_SECRET, { topic: 'products/create', shop: SHOP, body: JSON.stringify(productPayload({ id: 424242, title: 'After the storm' })) });
    // Everything settles: nothing waiting, active or scheduled for a retry.
    const settled = await eventually(async () => {
      const { waiting = 0, active = 0, delayed = 0, completed = 0, failed = 0 } = await ingestQueue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
      return waiting + active + delayed === 0 && completed + failed === deliveries.length + 1 ? { completed, failed } : undefined;
    }, FUZZ_TIMEOUT_MS / 2);
    const failed: Job[] = await ingestQueue.getFailed(0, -1);
    for (const job of failed) {
      tally.count('ingest worker (running): signed hostile delivery', { rejected: true });
      // Failed on the first attempt, for good, with the reason on the job for an operator to read.
      expect([job.name, job.attemptsMade, job.failedReason]).toEqual([job.name, 1, expect.stringMatching(/^malformed /)]);
    }
    // Completed: hostile bodies that were still valid payloads, and the good delivery (not counted).
    for (let i = 1; i < settled.completed; i++) tally.count('ingest worker (running): signed hostile delivery', { rejected: false });
    expect(failed.length).toBeGreaterThan(0);
    expect(await runtime.db.selectFrom('products').select('title').where('shop', '=', SHOP).where('id', '=', '424242').execute()).toEqual([{ title: 'After the storm' }]);
  });
});
