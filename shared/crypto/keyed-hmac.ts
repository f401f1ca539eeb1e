import * as crypto from 'node:crypto';

/** SHA-256 block size in bytes (RFC 2104's B). */
const BLOCK = 64;
/** Inner messages longer than this take createHmac: the scratch buffer stays small. */
const MAX_MESSAGE_BYTES = 2048;

type OneShotHash = (algorithm: string, data: crypto.BinaryLike, outputEncoding: 'latin1' | 'hex' | 'base64url') => string;
/** `crypto.hash` (Node 20.12+): one native call, no Hash object per digest. */
const oneShotHash = (crypto as { hash?: OneShotHash }).hash;

/**
 * HMAC-SHA256 under one fixed key, for the storefront's hot paths (proxy signatures, tokens,
 * pseudonyms: several per request). `createHmac` builds a stream object and prepares the key on
 * every call; here the key's padded blocks are computed once and each MAC is two one-shot
 * hashes, H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) as RFC 2104 defines it, the same bytes as
 * createHmac. Node before 20.12 (no `crypto.hash`) and long messages use createHmac.
 * Calls share two scratch buffers: `digest` is synchronous, so they never overlap.
 */
export class KeyedHmac {
  private readonly inner: Buffer | null = null;
  private readonly outer: Buffer | null = null;

  constructor(private readonly key: Buffer | string) {
    if (!oneShotHash) return;
    let bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
    if (bytes.length > BLOCK) bytes = crypto.createHash('sha256').update(bytes).digest();
    this.inner = Buffer.alloc(BLOCK + MAX_MESSAGE_BYTES, 0);
    this.outer = Buffer.alloc(BLOCK + 32, 0);
    for (let i = 0; i < BLOCK; i++) {
      const k = i < bytes.length ? bytes[i]! : 0;
      this.inner[i] = k ^ 0x36;
      this.outer[i] = k ^ 0x5c;
    }
  }

  /** The MAC of `message` (UTF-8) in `encoding`. */
  digest(message: string, encoding: 'hex' | 'base64url'): string {
    const { inner, outer } = this;
    // A UTF-8 character is at most 3 bytes per UTF-16 unit: a message that may not fit goes the long way.
    if (!inner || !outer || !oneShotHash || message.length * 3 > MAX_MESSAGE_BYTES) {
      return crypto.createHmac('sha256', this.key).update(message, 'utf8').digest(encoding);
    }
    const length = inner.write(message, BLOCK, 'utf8');
    outer.write(oneShotHash('sha256', inner.subarray(0, BLOCK + length), 'latin1'), BLOCK, 'latin1');
    return oneShotHash('sha256', outer, encoding);
  }
}
