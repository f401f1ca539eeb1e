import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { EncryptionKeyMismatchError } from '../errors';

const VERSION = 'v1';

/**
 * AES-256-GCM for access tokens at rest. The output names the key it was sealed with (a short
 * fingerprint), so opening with another key fails loudly instead of returning garbage.
 */
export class TokenCipher {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError('token encryption key must be 32 bytes');
    this.keyId = createHash('sha256').update(key).digest('base64url').slice(0, 8);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${VERSION}:${this.keyId}`));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
  }

  open(sealed: string): string {
    const [version, keyId, iv, tag, data] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || data === undefined) {
      throw new EncryptionKeyMismatchError('stored token is not in a format this version can read');
    }
    if (keyId !== this.keyId) {
      throw new EncryptionKeyMismatchError(
        `stored token was sealed with key ${keyId}, but TOKEN_ENCRYPTION_KEY is key ${this.keyId}`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(`${VERSION}:${keyId}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new EncryptionKeyMismatchError('stored token failed authentication: wrong key or tampered data', { cause });
    }
  }
}
