import { createHmac } from 'node:crypto';

/**
 * The customer id as we store it: a keyed hash per shop, so the same customer keeps the same
 * pseudonym within a shop, cannot be linked across shops, and cannot be reversed without the key.
 */
export function customerPseudonym(key: string, shop: string, customerId: string | number): string {
  return createHmac('sha256', key).update(`${shop}\u0000${customerId}`).digest('base64url').slice(0, 24);
}
