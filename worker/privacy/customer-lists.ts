import type { Redis } from '../../shared/redis';
import { servingKeys } from '../../shared/serving';
import { globLiteral, scanKeys } from './redis-keys';

/** The published parts keyed by customer pseudonym (shared/serving keys.ts). */
const PER_CUSTOMER_PARTS = ['for_you', 'history'] as const;
type PerCustomerPart = (typeof PER_CUSTOMER_PARTS)[number];

/** Every per-customer hash of every written version of the shop (serving, previous, not yet cleaned). */
async function perCustomerHashes(redis: Redis, prefix: string, shop: string): Promise<Array<{ key: string; version: string; part: PerCustomerPart }>> {
  const { versionBase } = servingKeys(prefix, shop);
  const keys = await scanKeys(redis, `${globLiteral(versionBase)}*`);
  return keys.flatMap((key) => {
    const [version, part] = key.slice(versionBase.length).split(':');
    return version && (PER_CUSTOMER_PARTS as readonly string[]).includes(part ?? '') ? [{ key, version, part: part as PerCustomerPart }] : [];
  });
}

/** What the published lists hold about one customer: the serving version's lists, parsed. */
export interface CustomerLists {
  servingVersion: string | null;
  /** "Recommended for you": product ids, best first. */
  forYou: string[] | null;
  /** The customer's latest distinct purchases as "Because you bought …" may name them. */
  history: string[] | null;
}

/** Reads the serving version's per-customer lists (for a data request). */
export async function readCustomerLists(redis: Redis, prefix: string, shop: string, customerKey: string): Promise<CustomerLists> {
  const keys = servingKeys(prefix, shop);
  const servingVersion = await redis.get(keys.pointer);
  if (!servingVersion) return { servingVersion: null, forYou: null, history: null };
  const [forYou, history] = await Promise.all(PER_CUSTOMER_PARTS.map((part) => redis.hget(keys.list(servingVersion, part), customerKey)));
  const parse = (raw: string | null) => (raw ? (JSON.parse(raw) as string[]) : null);
  return { servingVersion, forYou: parse(forYou ?? null), history: parse(history ?? null) };
}

/** Deletes the customer's entries from every version's per-customer lists; the number removed. */
export async function deleteCustomerLists(redis: Redis, prefix: string, shop: string, customerKey: string): Promise<number> {
  let removed = 0;
  for (const { key } of await perCustomerHashes(redis, prefix, shop)) removed += await redis.hdel(key, customerKey);
  return removed;
}
