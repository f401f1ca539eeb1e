import { startWebhookReceiver, type WebhookReceiver } from '../shared/replay/webhook-receiver';
import { BAD_ROWS_CSV } from '../shared/catalog-csv/fixtures';
import { shelfwise } from './cli-process';

const SECRET = 'cli-secret';

describe('shelfwise replay (the bin, in a child process)', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver(SECRET);
  });
  afterEach(() => receiver.close());

  it('sends the file and prints a JSON summary with skipped lines; a second run is all duplicates', async () => {
    const args = ['replay', '--csv', BAD_ROWS_CSV, '--url', receiver.url, '--secret', SECRET, '--shop', 'cli.myshopify.com', '--json', '--concurrency', '4'];
    const first = await shelfwise(args);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.deliveries).toMatchObject({ sent: 11, accepted: 11, duplicates: 0, failed: 0 });
    expect(summary.skipped.byReason.bad_date).toMatchObject({ count: 1, firstLines: [8] });
    expect(first.stderr).toMatch(/replay: 11\/11 100\.0% settled/);
    const second = JSON.parse((await shelfwise(args)).stdout);
    expect(second.deliveries).toMatchObject({ accepted: 0, duplicates: 11 });
    expect(receiver.received.every((r) => r.shop === 'cli.myshopify.com')).toBe(true);
  });

  it('prints a readable report and exits non-zero when deliveries fail for good', async () => {
    const run = await shelfwise(['replay', '--csv', BAD_ROWS_CSV, '--url', receiver.url, '--secret', 'wrong', '--retries', '0', '--no-progress']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/deliveries: 11 sent, 0 accepted, 0 duplicates, 11 failed/);
    expect(run.stdout).toMatch(/bad_price: 2 \(lines 9, 10\)/);
    expect(run.stdout).toMatch(/HTTP 401/);
    expect(run.stderr).toBe('');
  });

  it('refuses to run without a secret, and checks its options', async () => {
    const noSecret = await shelfwise(['replay', '--csv', BAD_ROWS_CSV, '--url', receiver.url]);
    expect(noSecret.code).not.toBe(0);
    expect(noSecret.stderr).toMatch(/--secret is required/);
    const badShop = await shelfwise(['replay', '--csv', BAD_ROWS_CSV, '--url', receiver.url, '--secret', SECRET, '--shop', 'example.com']);
    expect(badShop.code).not.toBe(0);
    expect(badShop.stderr).toMatch(/myshopify\.com/);
    expect(receiver.received).toHaveLength(0);
  });
});
