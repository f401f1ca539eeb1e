import { randomBytes } from 'node:crypto';
import { startWebServer } from '../../../app';
import { verifyTokenKey } from '../../../app/auth';
import { TokenCipher } from '../../../shared/crypto';
import { EncryptionKeyMismatchError } from '../../../shared/errors';
import { BACKENDS, type TestDatabase } from '../../support/databases';
import { testRuntime } from '../../support/runtime';

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

describe('web process start with the wrong key', () => {
  it('fails before listening', async () => {
    const runtime = await testRuntime();
    try {
      await verifyTokenKey({ db: runtime.db, cipher: new TokenCipher(randomBytes(32)) });
      await expect(startWebServer(runtime, { port: 0 })).rejects.toThrow(EncryptionKeyMismatchError);
    } finally {
      await runtime.close();
    }
  });
});
