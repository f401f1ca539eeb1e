import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../../shared/db';
import { shelfwise } from '../../cli/cli-process';

const SHOP = 'cli-rules.myshopify.com';

const env = (dataDir: string) => ({
  LOG_LEVEL: 'silent',
  SHOPIFY_API_KEY: 'k',
  SHOPIFY_API_SECRET: 's',
  SHOPIFY_APP_URL: 'http://127.0.0.1:3000',
  TOKEN_ENCRYPTION_KEY: '22'.repeat(32),
  CUSTOMER_ID_KEY: 'cli-rules-customer-key-0123456',
  SHELFWISE_DATA_DIR: dataDir,
});

// Every run boots the CLI and an embedded PGlite: several seconds each.
jest.setTimeout(300_000);

describe('shelfwise rules (the bin, in a child process, embedded PGlite)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-rules-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('adds, lists and removes rules in the database the web process reads', async () => {
    const pin = await shelfwise(['rules', 'add', '--shop', SHOP, '--kind', 'pin', '--match', 'product', '--value', '7001', '--position', '1', '--placement', 'fbt', '--json'], env(dir));
    expect(pin.stderr).toBe('');
    expect(pin.code).toBe(0);
    const pinned = JSON.parse(pin.stdout) as { id: string };
    expect(pinned).toMatchObject({ kind: 'pin', match: 'product', value: '7001', position: 1, placement: 'fbt', weight: 1 });

    const boost = await shelfwise(['rules', 'add', '--shop', SHOP, '--kind', 'boost', '--match', 'collection', '--value', 'summer', '--weight', '2.5'], env(dir));
    expect(boost.code).toBe(0);
    expect(boost.stdout).toMatch(/^added r_\S+ {2}boost collection "summer" × 2\.5 {2}\(every placement\)/);

    const list = await shelfwise(['rules', 'list', '--shop', SHOP, '--json'], env(dir));
    const rules = JSON.parse(list.stdout) as Array<{ id: string; kind: string }>;
    expect(rules.map((r) => r.kind)).toEqual(['pin', 'boost']);
    expect(rules[0]!.id).toBe(pinned.id);
    const human = await shelfwise(['rules', 'list', '--shop', SHOP], env(dir));
    expect(human.stdout.trim().split('\n')).toEqual([expect.stringMatching(/pin product "7001" at slot 1 {2}\(fbt\)$/), expect.stringMatching(/boost collection "summer" × 2\.5/)]);

    const removed = await shelfwise(['rules', 'remove', '--shop', SHOP, '--id', pinned.id, '--json'], env(dir));
    expect(JSON.parse(removed.stdout)).toEqual({ removed: true });
    const again = await shelfwise(['rules', 'remove', '--shop', SHOP, '--id', pinned.id], env(dir));
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/no rule/);

    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
    try {
      const rows = await db.selectFrom('merchant_rules').select(['shop', 'kind', 'match', 'value', 'weight']).execute();
      expect(rows).toEqual([{ shop: SHOP, kind: 'boost', match: 'collection', value: 'summer', weight: 2.5 }]);
    } finally {
      await db.destroy();
    }
  });

  it('refuses a bad rule or flag with a clear message and a failing exit code, and documents itself', async () => {
    const noSlot = await shelfwise(['rules', 'add', '--shop', SHOP, '--kind', 'pin', '--match', 'product', '--value', '1'], env(dir));
    expect(noSlot.code).toBe(1);
    expect(noSlot.stderr).toMatch(/a pin needs a position 0-19/);
    const badKind = await shelfwise(['rules', 'add', '--shop', SHOP, '--kind', 'promote', '--match', 'tag', '--value', 'x'], env(dir));
    expect(badKind.code).not.toBe(0);
    expect(badKind.stderr).toMatch(/Allowed choices are pin, exclude, boost/);
    const badShop = await shelfwise(['rules', 'list', '--shop', 'example.com'], env(dir));
    expect(badShop.stderr).toMatch(/myshopify\.com/);
    const help = await shelfwise(['rules', 'add', '--help'], env(dir));
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--placement <placement>.*\n?.*related/);
    expect(help.stdout).toMatch(/--weight <factor>/);
  });
});
