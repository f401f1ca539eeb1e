import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../shared/db';
import { BAD_ROWS_CSV } from '../shared/catalog-csv/fixtures';
import { shelfwise } from './cli-process';

const env = (dataDir: string) => ({
  LOG_LEVEL: 'silent',
  SHOPIFY_API_KEY: 'k',
  SHOPIFY_API_SECRET: 's',
  SHOPIFY_APP_URL: 'http://127.0.0.1:3000',
  TOKEN_ENCRYPTION_KEY: '11'.repeat(32),
  CUSTOMER_ID_KEY: 'cli-import-customer-key-012345',
  SHELFWISE_DATA_DIR: dataDir,
});

describe('shelfwise import (the bin, in a child process, embedded PGlite)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-import-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads the file into the data directory and reports skipped lines', async () => {
    const run = await shelfwise(['import', '--csv', BAD_ROWS_CSV, '--shop', 'cli-import.myshopify.com', '--json', '--no-progress'], env(dir));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.catalog).toMatchObject({ products: 4, orders: 5 });
    expect(summary.skipped.byReason.cancellation_no_original).toMatchObject({ count: 1, firstLines: [16] });

    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
    try {
      const orders = await db.selectFrom('orders').select(['shop', 'name']).orderBy('name').execute();
      expect(orders).toEqual(['#500001', '#500002', '#500009', '#500010', '#500013'].map((name) => ({ shop: 'cli-import.myshopify.com', name })));
      const refunds = await db.selectFrom('refunds').select('id').execute();
      expect(refunds).toHaveLength(2);
    } finally {
      await db.destroy();
    }
  });

  it('fails with every missing setting named when the environment is incomplete', async () => {
    const run = await shelfwise(['import', '--csv', BAD_ROWS_CSV], { SHELFWISE_DATA_DIR: dir });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/SHOPIFY_API_KEY is required/);
    expect(run.stderr).toMatch(/CUSTOMER_ID_KEY is required/);
  });
});
