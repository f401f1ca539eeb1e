import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TokenCipher, verifyTokenKey } from '../../../shared/crypto';
import { EncryptionKeyMismatchError } from '../../../shared/errors';
import { openRuntime } from '../../../shared/runtime';
import { testConfig } from '../../support/config';
import { BACKENDS, type TestDatabase } from '../../support/databases';

describe.each(BACKENDS)('token key check on %s', (_name, open) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await open();
  });
  afterEach(() => t.close());

  it('records the key at first start, accepts it after, and refuses another key by name', async () => {
    const key = new TokenCipher(randomBytes(32));
    await expect(verifyTokenKey({ db: t.db, cipher: key })).resolves.toBe('created');
    await expect(verifyTokenKey({ db: t.db, cipher: key })).resolves.toBe('verified');
    const other = new TokenCipher(randomBytes(32));
    const failure = verifyTokenKey({ db: t.db, cipher: other });
    await expect(failure).rejects.toBeInstanceOf(EncryptionKeyMismatchError);
    await expect(verifyTokenKey({ db: t.db, cipher: other })).rejects.toThrow(
      new RegExp(`TOKEN_ENCRYPTION_KEY does not match.*stored key id ${key.keyId}, configured key id ${other.keyId}`),
    );
  });
});

describe('process start with the wrong key', () => {
  it('stops every role at start with the key ids named; the right key starts', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-key-'));
    const key = randomBytes(32).toString('hex');
    try {
      const first = await openRuntime(testConfig({ SHELFWISE_DATA_DIR: dataDir, TOKEN_ENCRYPTION_KEY: key }), 'web');
      await first.close();
      const wrong = testConfig({ SHELFWISE_DATA_DIR: dataDir, TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex') });
      await expect(openRuntime(wrong, 'worker')).rejects.toThrow(EncryptionKeyMismatchError);
      await expect(openRuntime(wrong, 'worker')).rejects.toThrow(/TOKEN_ENCRYPTION_KEY does not match .*stored key id \S+, configured key id \S+/);
      const right = await openRuntime(testConfig({ SHELFWISE_DATA_DIR: dataDir, TOKEN_ENCRYPTION_KEY: key }), 'worker');
      await right.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
