import { randomBytes } from 'node:crypto';

/** Bytes per impression id: 9 random bytes are 12 base64url characters (72 bits). */
const ID_BYTES = 9;
const POOL_IDS = 512;

let pool = Buffer.alloc(0);
let offset = 0;

/**
 * A fresh random impression id (12 characters of base64url), one per served list. Drawn from a
 * pool refilled 512 ids at a time: one call into the CSPRNG per 512 answers instead of one each.
 */
export function newImpressionId(): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomBytes(ID_BYTES * POOL_IDS);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
