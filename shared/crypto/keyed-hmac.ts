import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * HMAC-SHA256 under one fixed key, for the storefront's hot paths (proxy signatures, tokens,
 * pseudonyms: several per request). The key is imported once as a KeyObject; every MAC is
 * node:crypto's own createHmac (no HMAC of our own making: the few microseconds a hand-built one
 * saves per request are not worth owning crypto code).
 */
export class KeyedHmac {
  private readonly key: KeyObject;

  constructor(key: Buffer | string) {
    this.key = createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
  }

  /** The MAC of `message` (UTF-8) in `encoding`. */
  digest(message: string, encoding: 'hex' | 'base64url'): string {
    return createHmac('sha256', this.key).update(message, 'utf8').digest(encoding);
  }
}
