import { planDeliveries } from './support/deliveries';
import { lostAtTheDoor } from './support/door-losses';
import { ingestDrained, startFaultStack, type FaultStack } from './support/fault-stack';
import { expectNothingLost, printCounts } from './support/report';
import { sendDeliveries } from './support/send-deliveries';
import { watchServing } from './support/serving-watch';
import { checkStore } from './support/store-check';
import { trainedShop } from './support/trained-shop';
import { TEST_SECRET } from '../support/config';

const SHOP = 'fault-pg.myshopify.com';
const INGEST_SHOP = 'fault-pg-ingest.myshopify.com';

const status = (url: string) => fetch(url).then((r) => r.status, () => 0);

/**
 * PostgreSQL crashes (immediate stop: crash recovery on start) while webhooks stream in. The web
 * process only needs Redis to accept them; the worker's writes fail and are retried with backoff.
 * Both processes report not ready while the database is away, and ready again after.
 */
describe('fault: PostgreSQL restarted mid-ingest', () => {
  let stack: FaultStack;
  let served: string;

  beforeAll(async () => {
    stack = await startFaultStack();
    served = (await trainedShop(stack, SHOP)).version;
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('loses no delivery and duplicates no row; /readyz says 503 while the database is down', async () => {
    const plan = planDeliveries({ shop: INGEST_SHOP, products: 150, orders: 250, versions: 3, refunds: 100, duplicates: 600, seed: 23 });
    const serving = await watchServing({ url: stack.redis.url, prefix: stack.config.queuePrefix, shop: SHOP });
    const readiness: { web: number[]; worker: number[] } = { web: [], worker: [] };
    let outage: Promise<void> | undefined;
    const tally = await sendDeliveries({
      url: stack.web.url,
      secret: TEST_SECRET,
      shop: INGEST_SHOP,
      deliveries: plan.deliveries,
      onProgress: (t) => {
        if (outage || t.sent < plan.deliveries.length / 3) return;
        outage = (async () => {
          await stack.postgres.crash();
          readiness.web.push(await status(`${stack.web.url}/readyz`));
          readiness.worker.push(await status(`${stack.worker.healthUrl}/readyz`));
          await new Promise((r) => setTimeout(r, 2000));
          await stack.postgres.start();
        })();
      },
    });
    await outage;
    const drained = await ingestDrained(stack.queues.ingest, 90_000, [stack.worker]);
    await serving.stop();
    readiness.web.push(await status(`${stack.web.url}/readyz`));
    readiness.worker.push(await status(`${stack.worker.healthUrl}/readyz`));
    const completedJobs = await stack.queues.ingest.getJobs(['completed'], 0, -1);
    const check = await checkStore(stack.web.runtime.db, INGEST_SHOP, plan.expected);
    const doorLosses = await lostAtTheDoor({ queue: stack.queues.ingest, shop: INGEST_SHOP, deliveries: plan.deliveries, refusedThenDuplicate: tally.retriedThenDuplicate });
    printCounts('postgres restart during ingest', {
      distinct: plan.distinct,
      tally,
      check,
      serving,
      extra: {
        'refused then duplicate, never queued (lost at the door)': doorLosses.length, 'ingest jobs retried by the worker': completedJobs.filter((j) => (j.attemptsStarted ?? 0) > 1).length, 'ingest jobs failed for good': drained.failed, 'readyz web': readiness.web.join('→'), 'readyz worker': readiness.worker.join('→') },
    });

    expectNothingLost({ tally, check, doorLosses, drained });
    expect(serving.missing).toEqual([]);
    expect(serving.versions).toEqual([served]);
    expect(readiness).toEqual({ web: [503, 200], worker: [503, 200] });
  }, 180_000);
});
