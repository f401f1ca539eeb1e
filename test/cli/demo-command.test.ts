import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { deleteKeys } from '../support/runtime';
import { FIRST_5000, FIRST_5000_GZ } from '../shared/catalog-csv/fixtures';
import { shelfwise } from './cli-process';

/** The README's first command, on a checked-in slice of the real data: app + worker on PGlite, replay, summary. */
describe('shelfwise demo (the bin, in a child process)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-demo-'));
  const env = { SHELFWISE_DATA_DIR: dataDir };
  afterAll(async () => {
    const { QUEUE_PREFIX } = JSON.parse(fs.readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8'));
    const redis = new Redis('redis://127.0.0.1:6379');
    await deleteKeys(redis, `${QUEUE_PREFIX}:*`);
    await redis.quit();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the store through signed webhooks, and a second run changes nothing', async () => {
    // --no-serve: the demo serves until Ctrl-C by default (test/e2e/demo-path.test.ts serves it).
    const first = await shelfwise(['demo', '--csv', FIRST_5000_GZ, '--no-progress', '--no-shoppers', '--no-serve'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const landed = (out: string) => /in the store for [^\n]+\n\s+products: (\d+)[^\n]*\n\s+orders: (\d+)[^,]*, line items: (\d+), refunds: (\d+), customers: (\d+)/.exec(out)?.slice(1).map(Number);
    expect(landed(first.stdout)).toEqual([FIRST_5000.products, FIRST_5000.orders, FIRST_5000.lineItems, FIRST_5000.refunds, FIRST_5000.customers]);
    expect(first.stdout).toMatch(/failed ingest jobs: 0/);
    expect(first.stdout).toMatch(/deliveries: (\d+) sent, \1 accepted, 0 duplicates, 0 failed/);
    // Two days of orders: too little to learn from, so the store gets the trending fallback.
    expect(first.stdout).toMatch(/^training run for [^:]+: not enough data \(0 customers before the test window, fewer than 20;.*\); trending fallback published as version \d+$/m);

    // Shoppers only now: their orders would be new data for the training above.
    const second = await shelfwise(['demo', '--csv', FIRST_5000_GZ, '--no-progress', '--shoppers', '40', '--no-serve'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/deliveries: (\d+) sent, 0 accepted, \1 duplicates, 0 failed/);
    expect(landed(second.stdout)).toEqual(landed(first.stdout));
    expect(second.stdout).toMatch(/^training run for [^:]+: data unchanged since the last run: nothing trained/m);
    expect(first.stdout).not.toMatch(/shopper sessions/);
    // Nothing served: no storefront started, no URLs printed.
    expect(first.stdout + second.stdout).not.toMatch(/storefront:|Ctrl-C/);
    const sessions = /^shopper sessions \(seed \d+\): 40 visitors .*; (\d+) orders .*; webhooks (\d+) accepted, 0 duplicates, 0 failed; campaigns (\d+) created/m.exec(second.stdout);
    expect(sessions).not.toBeNull();
    expect(Number(sessions![1])).toBeGreaterThan(0);
    expect(Number(sessions![3])).toBeGreaterThanOrEqual(2);
  }, 300_000); // two demo runs in child processes, the second with shoppers: more than the default minute

  it('says where the dataset is missing instead of starting', async () => {
    const run = await shelfwise(['demo', '--csv', path.join(dataDir, 'nope.csv')], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no dataset at .*nope\.csv: pass --csv FILE/);
  });
});
