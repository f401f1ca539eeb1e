import { runReplay } from '../../../shared/replay';
import { BAD_ROWS_CSV, FIRST_5000, FIRST_5000_GZ } from '../catalog-csv/fixtures';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

const SECRET = 'replay-secret';
const SHOP = 'replay-test.myshopify.com';

describe('runReplay against a local receiver', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver(SECRET);
  });
  afterEach(() => receiver.close());

  const replay = (file: string, extra: Partial<Parameters<typeof runReplay>[0]> = {}) =>
    runReplay({ file, url: receiver.url, secret: SECRET, shop: SHOP, apiVersion: '2026-07', concurrency: 8, ...extra });

  it('delivers the fixture signed, products first, and a second run is all duplicates', async () => {
    const first = await replay(BAD_ROWS_CSV);
    expect(first.deliveries).toMatchObject({ sent: 11, accepted: 11, duplicates: 0, failed: 0 });
    expect(first.deliveries.byTopic).toEqual({
      'products/create': { sent: 4, accepted: 4, duplicates: 0, failed: 0 },
      'orders/create': { sent: 5, accepted: 5, duplicates: 0, failed: 0 },
      'refunds/create': { sent: 2, accepted: 2, duplicates: 0, failed: 0 },
    });
    expect(receiver.rejected).toBe(0);
    const topics = receiver.received.map((r) => r.topic);
    expect(topics.slice(0, 4)).toEqual(Array(4).fill('products/create'));
    for (const r of receiver.received) {
      expect(r.shop).toBe(SHOP);
      expect(r.apiVersion).toBe('2026-07');
      expect(r.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(r.triggeredAt ?? ''))).toBe(false);
    }
    expect(first.skipped.total).toBe(14);

    const second = await replay(BAD_ROWS_CSV);
    expect(second.deliveries).toMatchObject({ sent: 11, accepted: 0, duplicates: 11, failed: 0 });
    expect(receiver.seen.size).toBe(11);
    // Same webhook ids and byte-identical bodies: the second run is the first run again.
    expect(receiver.received.slice(11).map((r) => [r.webhookId, r.body])).toEqual(receiver.received.slice(0, 11).map((r) => [r.webhookId, r.body]));
  });

  it('replays the 5,000-line slice with bounded concurrency and retries through injected 502s', async () => {
    receiver.failNext(5, 502);
    const summary = await replay(FIRST_5000_GZ, { backoffMs: 5 });
    const expected = FIRST_5000.products + FIRST_5000.orders + FIRST_5000.refunds;
    expect(summary.deliveries).toMatchObject({ sent: expected, accepted: expected, failed: 0 });
    expect(receiver.seen.size).toBe(expected);
    const orders = receiver.received.filter((r) => r.topic === 'orders/create').map((r) => JSON.parse(r.body) as { total_price: string });
    const total = orders.reduce((s, o) => s + Math.round(Number(o.total_price) * 100), 0);
    expect(total).toBe(FIRST_5000.totalMinor);
  });

  it('counts deliveries the receiver refuses as failed', async () => {
    const summary = await runReplay({ file: BAD_ROWS_CSV, url: receiver.url, secret: 'not-the-secret', shop: SHOP, apiVersion: '2026-07', concurrency: 2 });
    expect(summary.deliveries).toMatchObject({ sent: 11, accepted: 0, failed: 11 });
    expect(summary.deliveries.failures[0]).toMatchObject({ status: 401 });
    expect(receiver.rejected).toBe(11);
  });

  it('limits the replay to the first N data lines', async () => {
    const summary = await replay(BAD_ROWS_CSV, { limit: 4 });
    // Lines 2-5: invoices 500001 (three lines) and 500002; products 85048, 79323P, 22041.
    expect(summary.catalog).toMatchObject({ rowsRead: 4, orders: 2, products: 3 });
    expect(summary.deliveries.sent).toBe(5);
    expect(receiver.received.map((r) => r.topic).sort()).toEqual(['orders/create', 'orders/create', 'products/create', 'products/create', 'products/create']);
  });
});
