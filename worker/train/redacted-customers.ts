import type { Db } from '../../shared/db';
import { redactedCustomerKey } from '../../shared/privacy';
import type { Redis } from '../../shared/redis';
import { deleteCustomerLists } from '../privacy/customer-lists';
import { scrubCustomersFromArtifacts } from '../privacy/scrub-artifacts';
import type { ServingLists } from './train-from-log';

/** The customers of the lists (for_you and history keys: pseudonyms) that customers/redact erased since `since`. */
async function redactedIn(db: Db, shop: string, lists: ServingLists, since: Date): Promise<string[]> {
  const rows = await db.selectFrom('redactions').select('key').where('shop', '=', shop).where('kind', '=', 'customer').where('redacted_at', '>=', since).execute();
  if (!rows.length) return [];
  const digests = new Set(rows.map((r) => r.key));
  const keys = new Set([...Object.keys(lists.for_you), ...Object.keys(lists.history ?? {})]);
  return [...keys].filter((key) => digests.has(redactedCustomerKey(key)));
}

/**
 * A training run reads its snapshot before it fits; a customers/redact that commits in between
 * takes the customer out of the store but not out of this run's lists and artifact. Called once
 * the run's version is recorded (and again once its lists are published), this takes them out
 * too: their factor rows from the shop's artifacts, their entries from `lists` (still to be
 * published) and from every version's lists written in Redis.
 * A redaction committed after the last call deletes from every written version itself. Only
 * redactions since `since` (the run's start, by the wall clock) count: earlier ones were in the
 * snapshot already (their orders carry no pseudonym), and the customer may have bought again since.
 */
export async function forgetRedactedCustomers(deps: { db: Db; redis: Redis; prefix: string; shop: string; lists: ServingLists; since: Date }): Promise<string[]> {
  const { db, redis, prefix, shop } = deps;
  const erased = await redactedIn(db, shop, deps.lists, deps.since);
  if (!erased.length) return [];
  await scrubCustomersFromArtifacts(db, shop, erased);
  for (const key of erased) {
    // Out of the run's lists still to publish, and of every version's lists already written.
    delete deps.lists.for_you[key];
    if (deps.lists.history) delete deps.lists.history[key];
    await deleteCustomerLists(redis, prefix, shop, key);
  }
  return erased;
}
