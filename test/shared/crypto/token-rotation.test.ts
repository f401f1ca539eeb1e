import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from '@shopify/shopify-api';
import { DbSessionStorage } from '../../../app/auth/session-storage';
import { main } from '../../../shared/cli/main';
import { resealTokens, TokenCipher, verifyTokenKey } from '../../../shared/crypto';
import { EncryptionKeyMismatchError } from '../../../shared/errors';
import { openRuntime } from '../../../shared/runtime';
import { testConfig } from '../../support/config';
import { BACKENDS, type TestDatabase } from '../../support/databases';

const offline = (shop: string, token: string) => new Session({ id: `offline_${shop}`, shop, state: 'state', isOnline: false, scope: 'read_orders', accessToken: token });
const SHOPS = ['rot-a.myshopify.com', 'rot-b.myshopify.com', 'rot-c.myshopify.com'];

describe.each(BACKENDS)('TOKEN_ENCRYPTION_KEY rotation on %s', (_name, open) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await open();
  });
  afterEach(() => t.close());

  const keyIds = async () => (await t.db.selectFrom('shopify_sessions').select('access_token_enc').orderBy('id').execute()).map((r) => TokenCipher.keyIdOfSealed(r.access_token_enc!));

  it('old and new processes read every token while the re-seal runs; afterwards the new key alone opens all, the old one nothing', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = new TokenCipher(oldKey);
    await verifyTokenKey({ db: t.db, cipher: before });
    const oldProcess = new DbSessionStorage(t.db, before);
    for (const shop of SHOPS) await oldProcess.storeSession(offline(shop, `shpat_${shop}`));

    // Deploy: the new key is current, the old one previous. Start-up check passes; every token opens.
    const during = new TokenCipher(newKey, [oldKey]);
    await expect(verifyTokenKey({ db: t.db, cipher: during })).resolves.toBe('verified');
    const newProcess = new DbSessionStorage(t.db, during);
    for (const shop of SHOPS) expect((await newProcess.loadSession(`offline_${shop}`))?.accessToken).toBe(`shpat_${shop}`);
    // A reinstall meanwhile seals with the new key; a process not yet redeployed still reads the old rows.
    await newProcess.storeSession(offline('rot-d.myshopify.com', 'shpat_new'));
    expect(await keyIds()).toEqual([before.keyId, before.keyId, before.keyId, during.keyId]);
    expect((await oldProcess.loadSession(`offline_${SHOPS[0]}`))?.accessToken).toBe(`shpat_${SHOPS[0]}`);

    expect(await resealTokens({ db: t.db, cipher: during })).toEqual({ resealed: 3, current: 1, raced: 0, keyCheckResealed: true });
    expect(await keyIds()).toEqual([during.keyId, during.keyId, during.keyId, during.keyId]);
    expect(await resealTokens({ db: t.db, cipher: during })).toEqual({ resealed: 0, current: 4, raced: 0, keyCheckResealed: false });

    // The previous key can go: the new key alone starts and opens everything; the old one neither.
    const after = new TokenCipher(newKey);
    await expect(verifyTokenKey({ db: t.db, cipher: after })).resolves.toBe('verified');
    const tokens = await new DbSessionStorage(t.db, after).findSessionsByShop(SHOPS[1]!);
    expect(tokens.map((s) => s.accessToken)).toEqual([`shpat_${SHOPS[1]}`]);
    await expect(verifyTokenKey({ db: t.db, cipher: before })).rejects.toThrow(/TOKEN_ENCRYPTION_KEYS_PREVIOUS and run shelfwise rotate-token-key/);
    await expect(oldProcess.loadSession(`offline_${SHOPS[0]}`)).rejects.toBeInstanceOf(EncryptionKeyMismatchError);
  });

  it('stops on a token no configured key opens, writing nothing for it', async () => {
    const stranger = new TokenCipher(randomBytes(32));
    await new DbSessionStorage(t.db, stranger).storeSession(offline(SHOPS[0]!, 'shpat_x'));
    const current = new TokenCipher(randomBytes(32), [randomBytes(32)]);
    await expect(resealTokens({ db: t.db, cipher: current })).rejects.toThrow(new RegExp(`sealed with key ${stranger.keyId}.*TOKEN_ENCRYPTION_KEYS_PREVIOUS holds`));
    expect(await keyIds()).toEqual([stranger.keyId]);
  });
});

describe('shelfwise rotate-token-key', () => {
  it('re-seals a stopped store with the configured keys; the next start needs only the new key', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-rotate-'));
    const oldKey = randomBytes(32).toString('hex');
    const newKey = randomBytes(32).toString('base64');
    const env = { SHELFWISE_DATA_DIR: dataDir };
    const saved = { ...process.env };
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const first = await openRuntime(testConfig({ ...env, TOKEN_ENCRYPTION_KEY: oldKey }), 'web');
      await new DbSessionStorage(first.db, TokenCipher.fromConfig(first.config)).storeSession(offline(SHOPS[0]!, 'shpat_cli'));
      await first.close();

      const config = testConfig({ ...env, TOKEN_ENCRYPTION_KEY: newKey, TOKEN_ENCRYPTION_KEYS_PREVIOUS: ` ${oldKey} ` });
      expect(config.tokenEncryptionKeysPrevious).toHaveLength(1);
      Object.assign(process.env, { NODE_ENV: 'test', LOG_LEVEL: 'silent', SHOPIFY_API_KEY: 'k', SHOPIFY_API_SECRET: 's', SHOPIFY_APP_URL: 'http://127.0.0.1:3000', CUSTOMER_ID_KEY: 'test-customer-id-key-0123456789', SHELFWISE_DATA_DIR: dataDir, TOKEN_ENCRYPTION_KEY: newKey, TOKEN_ENCRYPTION_KEYS_PREVIOUS: oldKey });
      delete process.env.DATABASE_URL;
      await main(['node', 'shelfwise', 'rotate-token-key', '--json']);
      const printed = JSON.parse(String(log.mock.calls.at(-1)?.[0]));
      expect(printed).toEqual({ keyId: new TokenCipher(Buffer.from(newKey, 'base64')).keyId, resealed: 1, current: 0, raced: 0, keyCheckResealed: true });

      const next = await openRuntime(testConfig({ ...env, TOKEN_ENCRYPTION_KEY: newKey }), 'worker');
      expect((await new DbSessionStorage(next.db, TokenCipher.fromConfig(next.config)).loadSession(`offline_${SHOPS[0]}`))?.accessToken).toBe('shpat_cli');
      await next.close();
      await expect(openRuntime(testConfig({ ...env, TOKEN_ENCRYPTION_KEY: oldKey }), 'worker')).rejects.toThrow(EncryptionKeyMismatchError);
    } finally {
      log.mockRestore();
      process.env = saved;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed previous key by name at start-up', () => {
    expect(() => testConfig({ TOKEN_ENCRYPTION_KEYS_PREVIOUS: `${randomBytes(32).toString('hex')},short` })).toThrow(/TOKEN_ENCRYPTION_KEYS_PREVIOUS key 2 must be 32 bytes/);
  });
});
