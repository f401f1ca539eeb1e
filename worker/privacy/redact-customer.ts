import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import { sql } from 'kysely';
import { VISITOR_CART_ATTRIBUTE } from '../../shared/attribution';
import type { Db } from '../../shared/db';
import type { Redis } from '../../shared/redis';
import { redactedCustomerKey } from '../../shared/privacy';
import { decodeStreamEntry, storefrontEventKey } from '../../shared/tracking';
import { deleteCustomerLists } from './customer-lists';
import { customerEvents, type CustomerScope } from './customer-scope';
import { jobShop, removeJobs } from './queue-jobs';
import { deleteStreamEntries, globLiteral, scanKeys, streamKeys, unlinkAll } from './redis-keys';
import { scrubCustomersFromArtifacts } from './scrub-artifacts';

/** What a customer redaction removed, by store (for the log). */
export interface CustomerRedaction {
  orders: number;
  events: number;
  exposures: number;
  ledgerRows: number;
  dataRequests: number;
  artifacts: number;
  listEntries: number;
  redisKeys: number;
  streamEntries: number;
  jobs: number;
}

export interface RedactDeps {
  db: Db;
  /** Without Redis only the database is redacted (tests of the store alone). */
  redis?: Redis;
  /** QUEUE_PREFIX. */
  prefix?: string;
  /** Queues whose kept jobs may hold the shop's raw webhook bodies (ingest). */
  queues?: readonly Queue[];
}

/**
 * Records a redaction in `redactions` (migration 0017): the customer's pseudonym digest and the
 * order ids. Run it before the customer's scope is read (and again inside the redaction), so that
 * an order written meanwhile is either in the scope or written without the links.
 */
export async function rememberRedaction(db: Db, r: { shop: string; customerKey: string | null; orderIds: readonly string[] }): Promise<void> {
  const rows = [
    ...(r.customerKey ? [{ shop: r.shop, kind: 'customer' as const, key: redactedCustomerKey(r.customerKey) }] : []),
    ...[...new Set(r.orderIds)].map((key) => ({ shop: r.shop, kind: 'order' as const, key })),
  ];
  if (rows.length) await db.insertInto('redactions').values(rows).onConflict((oc) => oc.columns(['shop', 'kind', 'key']).doNothing()).execute();
}

/**
 * customers/redact: the customer's rows go or lose what links them to the person, in every store.
 *
 * Database, in one transaction: their orders keep their lines and amounts (the shop's revenue)
 * but lose the pseudonym and the visitor id their cart carried, in orders and order_revenue; the
 * storefront events of their visitors or sent while logged in are deleted, as are their visitors'
 * holdout exposures (and so their holdout_visitors rows, kept by trigger); sponsored ledger rows
 * keep the charge but lose the visitor; their data-request exports are deleted; stored model
 * artifacts lose their factor row. Daily counts and report rollups hold no identity and stay.
 *
 * Redis: their entries in every version's "for you" and history lists, their visitors' rate,
 * bot, frequency and holdout gate keys, stream entries not yet stored, and the kept webhook jobs
 * whose raw bodies were their orders. The next training reads their orders without a customer, so
 * the next version has no trace of them.
 */
export async function redactCustomer(deps: RedactDeps, scope: CustomerScope): Promise<CustomerRedaction> {
  const { db } = deps;
  const { shop, customerKey, orderIds, visitorKeys } = scope;
  const done: CustomerRedaction = { orders: 0, events: 0, exposures: 0, ledgerRows: 0, dataRequests: 0, artifacts: 0, listEntries: 0, redisKeys: 0, streamEntries: 0, jobs: 0 };
  await db.transaction().execute(async (trx) => {
    // Remembered (again: rememberRedaction ran before the scope was read), so that a later
    // delivery of their orders, held or still to come, cannot write the links back (0017).
    await rememberRedaction(trx, { shop, customerKey, orderIds: [...orderIds, ...scope.listedOrderIds] });
    if (orderIds.length) {
      const orders = await trx
        .updateTable('orders')
        .set({
          customer_key: null,
          note_attributes: sql`(select coalesce(jsonb_agg(a), '[]'::jsonb) from jsonb_array_elements(note_attributes) a where a->>'name' is distinct from ${VISITOR_CART_ATTRIBUTE})`,
        })
        .where('shop', '=', shop)
        .where('id', 'in', orderIds)
        .executeTakeFirst();
      done.orders = Number(orders.numUpdatedRows);
      await trx.updateTable('order_revenue').set({ customer_key: null, visitor_key: null }).where('shop', '=', shop).where('order_id', 'in', orderIds).execute();
    }
    if (customerKey || visitorKeys.length) {
      const events = await trx
        .deleteFrom('storefront_events')
        .where('shop', '=', shop)
        .where(customerEvents(scope))
        .executeTakeFirst();
      done.events = Number(events.numDeletedRows);
      // Another customer's events sent from their browser stay that customer's, unlinked from it.
      if (visitorKeys.length) await trx.updateTable('storefront_events').set({ visitor_key: null }).where('shop', '=', shop).where('visitor_key', 'in', visitorKeys).execute();
    }
    if (visitorKeys.length) {
      const exposures = await trx.deleteFrom('holdout_exposures').where('shop', '=', shop).where('visitor_key', 'in', visitorKeys).executeTakeFirst();
      done.exposures = Number(exposures.numDeletedRows);
      await trx.deleteFrom('holdout_visitors').where('shop', '=', shop).where('visitor_key', 'in', visitorKeys).execute();
      const ledger = await trx.updateTable('sponsored_ledger').set({ visitor_key: null }).where('shop', '=', shop).where('visitor_key', 'in', visitorKeys).executeTakeFirst();
      done.ledgerRows = Number(ledger.numUpdatedRows);
    }
    if (customerKey) {
      const requests = await trx.deleteFrom('data_requests').where('shop', '=', shop).where('customer_key', '=', customerKey).executeTakeFirst();
      done.dataRequests = Number(requests.numDeletedRows);
      done.artifacts = await scrubCustomersFromArtifacts(trx, shop, [customerKey]);
    }
  });
  const { redis, prefix } = deps;
  if (redis && prefix !== undefined) {
    if (customerKey) done.listEntries = await deleteCustomerLists(redis, prefix, shop, customerKey);
    Object.assign(done, await redactVisitorKeys(redis, prefix, scope));
  }
  if (orderIds.length || scope.listedOrderIds.length) {
    const orders = new Set([...orderIds, ...scope.listedOrderIds]);
    for (const queue of deps.queues ?? []) done.jobs += await removeJobs(queue, (job) => jobShop(job) === shop && bodyOrderIds(job.data).some((id) => orders.has(id)));
  }
  return done;
}

/** Keys and stream entries that name the customer's visitors or pseudonym. */
async function redactVisitorKeys(redis: Redis, prefix: string, scope: CustomerScope): Promise<Pick<CustomerRedaction, 'redisKeys' | 'streamEntries'>> {
  const { shop, customerKey, visitorKeys } = scope;
  const identities = new Set<string>([...visitorKeys, ...visitorKeys.map((v) => `v.${v}`), ...(customerKey ? [customerKey] : [])]);
  if (!identities.size) return { redisKeys: 0, streamEntries: 0 };
  // Rate, click, bot and repeat keys name the subject (`v.<visitor key>`); frequency caps a digest of it.
  const digests = new Set([...identities].map((s) => createHash('sha256').update(s).digest('base64url').slice(0, 22)));
  const eventKeys = await scanKeys(redis, `${globLiteral(storefrontEventKey(prefix))}:*:${globLiteral(shop)}:*`, (key) =>
    key.split(':').some((part) => identities.has(part) || digests.has(part)),
  );
  const gateKeys = visitorKeys.length ? await scanKeys(redis, `${globLiteral(`${prefix}:holdout:${shop}`)}:*`, (key) => visitorKeys.includes(key.slice(key.lastIndexOf(':') + 1))) : [];
  const redisKeys = await unlinkAll(redis, [...eventKeys, ...gateKeys]);
  let streamEntries = 0;
  const eventStreams = (await streamKeys(redis, prefix)).filter((key) => key.startsWith(storefrontEventKey(prefix)));
  for (const stream of eventStreams) {
    streamEntries += await deleteStreamEntries(redis, stream, (fields) => {
      const decoded = decodeStreamEntry(fields);
      if (decoded.ok) return decoded.entry.shop === shop && ((decoded.entry.visitor_key !== null && visitorKeys.includes(decoded.entry.visitor_key)) || (customerKey !== null && decoded.entry.customer_key === customerKey));
      // A dead letter keeps the raw fields: match the identities as text.
      const text = fields.join('\n');
      return text.includes(shop) && [...identities].some((id) => text.includes(id));
    });
  }
  return { redisKeys, streamEntries };
}

/** The order ids a kept webhook job's raw body names (an order's id, a refund's order_id). */
function bodyOrderIds(data: unknown): string[] {
  const body = (data as { body?: unknown } | undefined)?.body;
  if (typeof body !== 'string') return [];
  try {
    const parsed = JSON.parse(body) as { id?: unknown; order_id?: unknown; admin_graphql_api_id?: unknown };
    const topic = (data as { topic?: string }).topic ?? '';
    const ids: string[] = [];
    if (topic.startsWith('orders/') && parsed.id !== undefined) ids.push(String(parsed.id));
    if (parsed.order_id !== undefined) ids.push(String(parsed.order_id));
    return ids;
  } catch {
    return [];
  }
}
