import { enqueueTraining } from '../../worker/train/queue';
import { planDeliveries } from './support/deliveries';
import { lostAtTheDoor } from './support/door-losses';
import { ingestDrained, startFaultStack, type FaultStack } from './support/fault-stack';
import { expectNothingLost, printCounts } from './support/report';
import { sendDeliveries } from './support/send-deliveries';
import { watchServing } from './support/serving-watch';
import { checkStore } from './support/store-check';
import { finished, trainedShop } from './support/trained-shop';
import { TEST_SECRET } from '../support/config';
import { recommendationTokenKey } from '../../shared/tracking';
import { insertCampaign } from '../shared/sponsored/support/campaigns';
import { checkLedger, sendSponsoredClicks } from './support/sponsored-clicks';

/** The shop whose model serves throughout; the deliveries go to another, so the store check sees only them. */
const SHOP = 'fault-redis.myshopify.com';
const INGEST_SHOP = 'fault-redis-ingest.myshopify.com';

/**
 * Redis (appendonly, fsync always) crashes and comes back while webhooks stream in and the
 * worker writes them, and again while the worker trains. Senders retry like Shopify.
 */
describe('fault: Redis restarted mid-ingest and mid-training', () => {
  let stack: FaultStack;
  let served: string;

  beforeAll(async () => {
    stack = await startFaultStack();
    served = (await trainedShop(stack, SHOP)).version;
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('loses no delivery, duplicates no row, charges every sponsored click once and keeps the model serving when Redis restarts during ingest', async () => {
    const campaignId = await insertCampaign(stack.web.runtime.db, { shop: SHOP, maxCpcMinor: 50, dailyBudgetMinor: 10_000_000, totalBudgetMinor: 10_000_000 });
    const clicking = sendSponsoredClicks({ url: stack.web.url, shop: SHOP, tokenKey: recommendationTokenKey(stack.config.tokenEncryptionKey), campaignId, clicks: 300, priceMinor: 7, seed: 'r' });
    const plan = planDeliveries({ shop: INGEST_SHOP, products: 150, orders: 250, versions: 3, refunds: 100, duplicates: 600, seed: 11 });
    const serving = await watchServing({ url: stack.redis.url, prefix: stack.config.queuePrefix, shop: SHOP });
    let crash: Promise<void> | undefined;
    const tally = await sendDeliveries({
      url: stack.web.url,
      secret: TEST_SECRET,
      shop: INGEST_SHOP,
      deliveries: plan.deliveries,
      onProgress: (t) => {
        // A third of the way in: deliveries in flight to the web process, jobs in flight in the worker.
        if (!crash && t.sent >= plan.deliveries.length / 3) crash = stack.redis.crashAndRestart(1500);
      },
    });
    await crash;
    const clicks = await clicking;
    const drained = await ingestDrained(stack.queues.ingest);
    const ledger = await checkLedger(stack.web.runtime.db, SHOP, clicks.chargeKeys);
    await serving.stop();
    const check = await checkStore(stack.web.runtime.db, INGEST_SHOP, plan.expected);
    const doorLosses = await lostAtTheDoor({ queue: stack.queues.ingest, shop: INGEST_SHOP, deliveries: plan.deliveries, refusedThenDuplicate: tally.retriedThenDuplicate });
    printCounts('redis restart during ingest', { distinct: plan.distinct, tally, check, serving, extra: {
        'refused then duplicate, never queued (lost at the door)': doorLosses.length,
        'ingest jobs failed for good': drained.failed,
        'sponsored clicks sent (distinct)': `${clicks.sent} (${clicks.chargeKeys.size}), retried ${clicks.retried}, gave up ${clicks.failed}`,
        'ledger rows / charged': `${ledger.rows}/${ledger.charged} (not charged: ${JSON.stringify(ledger.notCharged)})`,
        'charged twice': ledger.chargedTwice.length,
        'clicks not in the ledger': ledger.missing.length,
      } });

    expect(tally.retried).toBeGreaterThan(0);
    expectNothingLost({ tally, check, doorLosses, drained });
    expect(serving.missing).toEqual([]);
    expect(serving.served).toBeGreaterThan(0);
    expect(serving.versions).toEqual([served]);
    // Every sponsored click: one ledger row per charge key, charged.
    expect(clicks.failed).toBe(0);
    expect(ledger.missing).toEqual([]);
    expect(ledger.chargedTwice).toEqual([]);
    expect(ledger.rows).toBe(clicks.chargeKeys.size);
    expect(ledger.charged + Object.values(ledger.notCharged).reduce((a, b) => a + b, 0)).toBe(clicks.chargeKeys.size);
  }, 180_000);

  it('keeps a version serving and finishes the run when Redis restarts during training', async () => {
    const serving = await watchServing({ url: stack.redis.url, prefix: stack.config.queuePrefix, shop: SHOP });
    const job = await enqueueTraining({ queue: stack.queues.train, shop: SHOP, reason: 'manual', force: true });
    for (let i = 0; i < 600 && (await stack.queues.train.getJobState(job.id!)) !== 'active'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await stack.queues.train.getJobState(job.id!)).toBe('active');
    await stack.redis.crashAndRestart(1500);
    const done = await finished(stack.queues.train, job, 150_000);
    await serving.stop();
    const result = done.returnvalue as { outcome?: string; versionId?: number } | null;
    process.stdout.write(
      `[fault] redis restart during training: job ${done.state} (${result?.outcome ?? done.failedReason}); serving checks ${serving.served} ok, ${serving.missing.length} missing, ${serving.unreachable} while Redis was down; versions served ${serving.versions.join(' → ')}\n`,
    );

    expect(done.state).toBe('completed');
    expect(result?.outcome).toBe('published');
    expect(serving.missing).toEqual([]);
    expect(serving.served).toBeGreaterThan(0);
    expect(serving.versions[0]).toBe(served);
    // The run's version took over, with its lists.
    const after = await watchServing({ url: stack.redis.url, prefix: stack.config.queuePrefix, shop: SHOP });
    await new Promise((r) => setTimeout(r, 300));
    await after.stop();
    expect(after.missing).toEqual([]);
    expect(after.versions).toEqual([String(result?.versionId)]);
  }, 180_000);
});
