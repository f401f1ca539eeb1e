import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateToLatest, openDatabase } from '../../../shared/db';
import { createRedis } from '../../../shared/redis';
import { readServingList } from '../../../shared/serving';
import { shelfwise } from '../../cli/cli-process';
import { deleteKeys } from '../../support/runtime';
import { writeSmallStore } from './small-store';

const SHOP = 'cli-train.myshopify.com';

describe('shelfwise train (the bin, in a child process, embedded PGlite, real Redis)', () => {
  let dir: string;
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const env = () => ({
    LOG_LEVEL: 'silent',
    SHOPIFY_API_KEY: 'k',
    SHOPIFY_API_SECRET: 's',
    SHOPIFY_APP_URL: 'http://127.0.0.1:3000',
    TOKEN_ENCRYPTION_KEY: '11'.repeat(32),
    CUSTOMER_ID_KEY: 'cli-train-customer-key-012345',
    SHELFWISE_DATA_DIR: dir,
    QUEUE_PREFIX: prefix,
  });
  const redis = createRedis('redis://127.0.0.1:6379');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-train-'));
    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
    try {
      await migrateToLatest(db);
      await writeSmallStore(db, { shop: SHOP, customers: 30, ordersPerCustomer: 6 });
    } finally {
      await db.destroy();
    }
  });
  afterAll(async () => {
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('trains, prints one JSON object with the metrics per placement, protocol and model, and publishes', async () => {
    const run = await shelfwise(['train', '--shop', SHOP, '--json'], env());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ shop: SHOP, outcome: 'published', published: true, previousVersionId: null });
    expect(report.servingVersionId).toBe(report.versionId);
    expect(report.counts).toMatchObject({ customers: 30, products: 30 });
    const row = report.metrics.for_you['next-30d-all'].blend;
    expect(Object.keys(row).sort()).toEqual(['backend', 'coverage@10', 'f1@10', 'fitSeconds', 'hit@10', 'ndcg@10', 'peakRssBytes', 'precision@10', 'recall@10', 'users'].sort());
    expect(report.metrics.product['fbt-30d']['co-occurrence'].queries).toBeGreaterThan(0);
    expect(report.timings.fit).toBeGreaterThan(0);
    const served = await readServingList({ redis, prefix, shop: SHOP, placement: 'for_you', key: 'customer-0' });
    expect(served).toMatchObject({ version: String(report.versionId), source: 'list' });
  }, 120_000);

  it('says the data is unchanged on a second run and prints the serving version’s table', async () => {
    const run = await shelfwise(['train', '--shop', SHOP], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/data unchanged since the last run: nothing trained; version \d+ serves/);
    expect(run.stdout).toMatch(/placement for_you/);
    expect(run.stdout).toMatch(/protocol next-30d-new\n\s*model\s+users\s+precision@10\s+recall@10\s+f1@10\s+ndcg@10\s+hit@10\s+coverage@10\s+fit s\s+peak RSS MiB\s+backend/);
    expect(run.stdout).toMatch(/^blend\s+\d+/m);
  }, 120_000);
});
