import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import pino from 'pino';
import { QUEUE, jobId } from '../../../shared/queue';
import { startWorkers, type RunningWorkers } from '../../../worker';
import { startWorkerHealthServer, type WorkerHealthServer } from '../../../worker/ops';
import { eventually, testRuntime } from '../../support/runtime';
import { productPayload } from '../../support/shopify-payloads';
import { sampleValue, scrape } from '../../faults/support/prometheus-text';

const SHOP = 'worker-ops.myshopify.com';

/** Every JSON line the worker logs, for checking the fields job lines carry. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const delivery = (webhookId: string, body: string) => ({
  shop: SHOP,
  topic: 'products/create',
  webhookId,
  receivedAt: new Date().toISOString(),
  body,
});

describe('worker health server: /healthz, /readyz, /metrics (real Redis, PGlite, BullMQ)', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let workers: RunningWorkers | undefined;
  let health: WorkerHealthServer;
  let ingest: Queue;
  const captured = capturingLogger();

  beforeAll(async () => {
    runtime = await testRuntime();
    const rt = { ...runtime, logger: captured.logger };
    workers = await startWorkers(rt, { concurrency: 2 });
    health = await startWorkerHealthServer({
      db: runtime.db,
      redis: runtime.redis,
      registry: workers.metrics.registry,
      logger: captured.logger,
      port: 0,
      host: '127.0.0.1',
      readyTimeoutMs: 1000,
      running: workers.running,
    });
    ingest = new Queue(QUEUE.ingest, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
  });
  afterAll(async () => {
    await workers?.close();
    await health.close();
    await ingest.close();
    await runtime.close();
  });

  it('times jobs per queue and outcome, logs a failed job with its queue, id and shop, and shows queue depth', async () => {
    const before = await scrape(`${health.url}/metrics`);
    const done = (s: typeof before, outcome: string) => sampleValue(s, 'shelfwise_job_duration_seconds_count', { queue: 'ingest', outcome }) ?? 0;
    expect(done(before, 'completed')).toBe(0);

    await ingest.add('products/create', delivery('ok-1', JSON.stringify(productPayload())), { jobId: jobId('wh', SHOP, 'ok-1') });
    await ingest.add('products/create', delivery('bad-1', '{"id": "not a product"}'), { jobId: jobId('wh', SHOP, 'bad-1'), attempts: 1 });
    await ingest.add('products/create', delivery('later-1', JSON.stringify(productPayload({ id: 1002 }))), { jobId: jobId('wh', SHOP, 'later-1'), delay: 3600_000 });

    const after = await eventually(async () => {
      const s = await scrape(`${health.url}/metrics`);
      return done(s, 'completed') === 1 && done(s, 'failed') === 1 ? s : undefined;
    });
    expect(sampleValue(after, 'shelfwise_queue_jobs', { queue: 'ingest', state: 'delayed' })).toBe(1);
    expect(sampleValue(after, 'shelfwise_queue_jobs', { queue: 'ingest', state: 'failed' })).toBe(1);
    expect(sampleValue(after, 'shelfwise_queue_jobs', { queue: 'train', state: 'waiting' })).toBe(0);
    expect(after.find((s) => s.name === 'shelfwise_job_duration_seconds_count')?.labels.role).toBe('worker');

    const failedLine = captured.lines.find((l) => l.msg === 'job failed');
    expect(failedLine).toMatchObject({ queue: 'ingest', jobId: jobId('wh', SHOP, 'bad-1'), shop: SHOP });
  });

  it('is live and ready while the workers run, not ready once they close', async () => {
    expect((await fetch(`${health.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${health.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { database: 'ok', redis: 'ok' }, workers: 'running' });

    await workers!.close();
    workers = undefined;
    const closed = await fetch(`${health.url}/readyz`);
    expect(closed.status).toBe(503);
    expect(await closed.json()).toMatchObject({ ready: false, workers: 'stopped' });
    expect((await fetch(`${health.url}/healthz`)).status).toBe(200);
  });
});
