import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateToLatest, openDatabase } from '../../../shared/db';
import { shelfwise } from '../../cli/cli-process';
import { insertProducts, insertShop } from '../../app/proxy/recommendations/storefront-fixtures';

const SHOP = 'cli-campaigns.myshopify.com';

const env = (dataDir: string) => ({
  LOG_LEVEL: 'silent',
  SHOPIFY_API_KEY: 'k',
  SHOPIFY_API_SECRET: 's',
  SHOPIFY_APP_URL: 'http://127.0.0.1:3000',
  TOKEN_ENCRYPTION_KEY: '11'.repeat(32),
  CUSTOMER_ID_KEY: 'cli-campaigns-customer-key-0123',
  SHELFWISE_DATA_DIR: dataDir,
});

describe('shelfwise campaigns (the bin, in a child process, embedded PGlite)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-campaigns-'));
    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
    await migrateToLatest(db);
    await insertShop(db, SHOP, 'GBP');
    await insertProducts(db, SHOP, [
      { id: '11', vendor: 'Acme' },
      { id: '12', vendor: 'Acme' },
      { id: '21', vendor: 'Potter' },
    ]);
    await db.destroy();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates, lists, pauses and resumes with the API’s checks', async () => {
    const create = (extra: string[]) =>
      shelfwise(
        ['campaigns', 'create', '--shop', SHOP, '--name', 'Acme week', '--vendor', 'Acme', '--products', '11,12', '--max-cpc', '0.30', '--daily-budget', '5', '--total-budget', '50', '--placements', 'related,sponsored', ...extra],
        env(dir),
      );
    const refused = await create(['--products', '11,21', '--daily-budget', '0.20']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual(['daily_budget: daily_budget must be at least max_cpc (0.30)', 'product_ids: product 21 belongs to vendor "Potter", not "Acme"']);

    const created = await create(['--status', 'active', '--json']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const campaign = JSON.parse(created.stdout);
    expect(campaign).toMatchObject({ name: 'Acme week', status: 'active', currency: 'GBP', max_cpc: '0.30', daily_budget: '5.00', total_budget: '50.00', product_ids: ['11', '12'] });

    const paused = await shelfwise(['campaigns', 'pause', '--shop', SHOP, '--id', campaign.id], env(dir));
    expect(paused.code).toBe(0);
    expect(paused.stdout).toContain(`paused ${campaign.id}  paused`);
    const resumed = await shelfwise(['campaigns', 'resume', '--shop', SHOP, '--id', campaign.id, '--json'], env(dir));
    expect(JSON.parse(resumed.stdout).status).toBe('active');

    const listed = await shelfwise(['campaigns', 'list', '--shop', SHOP], env(dir));
    expect(listed.stdout.trim()).toBe(
      `${campaign.id}  active    "Acme week" for Acme: bid 0.30 GBP, 5.00 GBP/day, spent 0.00 GBP of 50.00 GBP (0.00 GBP today) in related, sponsored`,
    );
    const elsewhere = await shelfwise(['campaigns', 'pause', '--shop', 'other-shop.myshopify.com', '--id', campaign.id], env(dir));
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain(`no campaign ${campaign.id} for other-shop.myshopify.com`);
  }, 300_000);
});
