import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { EncryptionKeyMismatchError } from '../errors';

const VERSION = 'v1';

/** The short fingerprint a sealed token names its key by. */
function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

function checkLength(key: Buffer): Buffer {
  if (key.length !== 32) throw new RangeError('token encryption key must be 32 bytes');
  return key;
}

/**
 * AES-256-GCM for access tokens at rest. The output names the key it was sealed with (a short
 * fingerprint), so opening with another key fails loudly instead of returning garbage.
 *
 * Rotation (docs/privacy.md): `previous` keys open what they sealed, but every seal uses the
 * current key, so processes started with the new key and the old one as previous read every
 * stored token while `resealTokens` moves them to the new key.
 */
export class TokenCipher {
  readonly keyId: string;
  private readonly openers: Map<string, Buffer>;

  constructor(
    private readonly key: Buffer,
    previous: readonly Buffer[] = [],
  ) {
    this.keyId = keyIdOf(checkLength(key));
    this.openers = new Map([[this.keyId, key]]);
    for (const old of previous) {
      const id = keyIdOf(checkLength(old));
      if (!this.openers.has(id)) this.openers.set(id, old);
    }
  }

  /** The current key with the configured previous ones (TOKEN_ENCRYPTION_KEYS_PREVIOUS). */
  static fromConfig(config: { tokenEncryptionKey: Buffer; tokenEncryptionKeysPrevious?: readonly Buffer[] }): TokenCipher {
    return new TokenCipher(config.tokenEncryptionKey, config.tokenEncryptionKeysPrevious ?? []);
  }

  /** Ids of every key this cipher opens, the current one first. */
  get openableKeyIds(): string[] {
    return [...this.openers.keys()];
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${VERSION}:${this.keyId}`));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
  }

  /** The id of the key `sealed` names (undefined when it is not a sealed token). */
  static keyIdOfSealed(sealed: string): string | undefined {
    const [version, keyId] = sealed.split(':');
    return version === VERSION ? keyId : undefined;
  }

  /** Sealed with the current key: nothing for a rotation to do. */
  isCurrent(sealed: string): boolean {
    return TokenCipher.keyIdOfSealed(sealed) === this.keyId;
  }

  open(sealed: string): string {
    const [version, keyId, iv, tag, data] = sealed.split(':');
    if (version !== VERSION || !keyId || !iv || !tag || data === undefined) {
      throw new EncryptionKeyMismatchError('stored token is not in a format this version can read');
    }
    const key = this.openers.get(keyId);
    if (!key) {
      throw new EncryptionKeyMismatchError(
        `stored token was sealed with key ${keyId}, but TOKEN_ENCRYPTION_KEY is key ${this.keyId}` +
          (this.openers.size > 1 ? ` and TOKEN_ENCRYPTION_KEYS_PREVIOUS holds ${this.openableKeyIds.slice(1).join(', ')}` : ''),
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(`${VERSION}:${keyId}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new EncryptionKeyMismatchError('stored token failed authentication: wrong key or tampered data', { cause });
    }
  }
}
