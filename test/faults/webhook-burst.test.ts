import { planDeliveries } from './support/deliveries';
import { lostAtTheDoor } from './support/door-losses';
import { ingestDrained, startFaultStack, type FaultStack } from './support/fault-stack';
import { expectNothingLost, printCounts } from './support/report';
import { sendDeliveries } from './support/send-deliveries';
import { checkStore } from './support/store-check';
import { TEST_SECRET } from '../support/config';

const SHOP = 'fault-burst.myshopify.com';

/**
 * The burst: 10,000 signed deliveries over real HTTP, a quarter distinct (several
 * versions of each product and order, refunds), the rest duplicates of every kind, all shuffled.
 * FAULT_BURST_DELIVERIES scales it (the distinct quarter scales with it).
 */
const TOTAL = Number(process.env.FAULT_BURST_DELIVERIES ?? 10_000);

describe(`fault: a burst of ${TOTAL.toLocaleString('en')} duplicate and out-of-order webhooks`, () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await startFaultStack();
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('stores every distinct delivery once, at its newest version', async () => {
    const unit = Math.max(1, Math.round(TOTAL / 40)); // 10,000 → 250
    // 250 products and 500 orders × 3 versions + 250 refunds = 2,500 distinct; 7,500 duplicates.
    const plan = planDeliveries({ shop: SHOP, products: unit, orders: 2 * unit, versions: 3, refunds: unit, duplicates: TOTAL - 10 * unit, seed: 5 });
    const tally = await sendDeliveries({ url: stack.web.url, secret: TEST_SECRET, shop: SHOP, deliveries: plan.deliveries, concurrency: 32 });
    const drained = await ingestDrained(stack.queues.ingest, 150_000);
    const check = await checkStore(stack.web.runtime.db, SHOP, plan.expected);
    const doorLosses = await lostAtTheDoor({ queue: stack.queues.ingest, shop: SHOP, deliveries: plan.deliveries, refusedThenDuplicate: tally.retriedThenDuplicate });
    printCounts('burst of duplicate and out-of-order webhooks', { distinct: plan.distinct, tally, check, extra: {
        'refused then duplicate, never queued (lost at the door)': doorLosses.length, 'ingest jobs failed for good': drained.failed } });

    expect(tally.sent).toBe(TOTAL);
    // Retries of one webhook id and repeats of one event are answered as duplicates, never queued.
    expect(tally.duplicate).toBeGreaterThan(0);
    expect(tally.accepted + tally.duplicate).toBe(TOTAL);
    expectNothingLost({ tally, check, doorLosses, drained });
  }, 240_000);
});
