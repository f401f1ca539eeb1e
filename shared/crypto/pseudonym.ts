import { KeyedHmac } from './keyed-hmac';

/** The key of the last call: a process uses one CUSTOMER_ID_KEY, so its padded blocks are made once. */
let last: { key: string; hmac: KeyedHmac } | null = null;

/**
 * The customer id as we store it: a keyed hash per shop, so the same customer keeps the same
 * pseudonym within a shop, cannot be linked across shops, and cannot be reversed without the key.
 */
export function customerPseudonym(key: string, shop: string, customerId: string | number): string {
  if (last?.key !== key) last = { key, hmac: new KeyedHmac(key) };
  return last.hmac.digest(`${shop}\u0000${customerId}`, 'base64url').slice(0, 24);
}
