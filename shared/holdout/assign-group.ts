import { createHash } from 'node:crypto';
import type { HoldoutGroup } from '../db';

/** Domain separation: the bucket hash is used for nothing else. */
const BUCKET_DOMAIN = 'shelfwise/holdout\u0000';
/** Buckets of a visitor: one per basis point. */
export const HOLDOUT_BUCKETS = 10_000;

/**
 * The visitor's bucket in 0..9999: the first 4 bytes of
 * sha256('shelfwise/holdout\0' + shop + '\0' + visitorKey) as a big-endian uint32, mod 10000.
 * (The modulo's bias is below 3 in a million per bucket.)
 */
export function holdoutBucket(shop: string, visitorKey: string): number {
  const digest = createHash('sha256').update(`${BUCKET_DOMAIN}${shop}\u0000${visitorKey}`).digest();
  return digest.readUInt32BE(0) % HOLDOUT_BUCKETS;
}

/**
 * The visitor's group at a share of `shareBp` basis points: deterministic (the same visitor of the
 * same shop always lands in the same bucket) and monotone (a visitor held out at a share stays
 * held out at any larger one). `visitorKey` is the per-shop pseudonym of the visitor id
 * (customerPseudonym(key, shop, 'visitor:' + id)), as the events endpoint stores it.
 */
export function holdoutGroup(shop: string, visitorKey: string, shareBp: number): HoldoutGroup {
  return holdoutBucket(shop, visitorKey) < shareBp ? 'holdout' : 'treatment';
}
