import { createHash } from 'node:crypto';

/**
 * A digest of a record's content. Two versions with the same `updated_at` are ordered by it,
 * so whichever arrives last, the same one wins: ingest stays order-independent.
 */
export function versionHash(record: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(record, (_key, value) => (value instanceof Date ? value.toISOString() : value)))
    .digest('base64url')
    .slice(0, 22);
}
