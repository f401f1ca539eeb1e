import { createHash } from 'node:crypto';

/**
 * How a redacted customer is remembered in `redactions` (migration 0017): a SHA-256 digest of the
 * pseudonym its orders carried. Enough to recognise a later delivery of the same customer's
 * orders (whose pseudonym is computed again from the payload), without keeping the pseudonym.
 */
export function redactedCustomerKey(customerKey: string): string {
  return createHash('sha256').update(`shelfwise/redacted-customer\u0000${customerKey}`).digest('base64url');
}
