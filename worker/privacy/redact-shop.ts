import { sql } from 'kysely';
import type { Db } from '../../shared/db';
import type { Redis } from '../../shared/redis';
import { jobShop, removeJobs, removeShopSchedulers } from './queue-jobs';
import { deleteStreamEntries, globLiteral, keyNamesShop, scanKeys, streamKeys, unlinkAll } from './redis-keys';
import type { RedactDeps } from './redact-customer';

/**
 * Tables whose rows must go before others of the shop (foreign keys): the ledger names campaigns.
 * Every other table with a `shop` column is found in the schema, so a table added later is
 * erased too without being listed here.
 */
const ERASED_FIRST = ['sponsored_ledger', 'sponsored_daily_spend', 'sponsored_campaign_products', 'sponsored_campaigns'] as const;

/** What a shop redaction removed. */
export interface ShopRedaction {
  tables: number;
  redisKeys: number;
  streamEntries: number;
  jobs: number;
  schedulers: number;
}

/** Every row of the shop, in every table that names a shop, in one transaction. Returns the tables visited. */
export async function eraseShopRows(db: Db, shop: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    for (const table of ERASED_FIRST) await trx.deleteFrom(table).where('shop', '=', shop).execute();
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where column_name = 'shop' and table_schema = current_schema()
      order by table_name`.execute(trx);
    for (const { table_name: table } of rows) {
      if ((ERASED_FIRST as readonly string[]).includes(table)) continue;
      await sql`delete from ${sql.table(table)} where shop = ${shop}`.execute(trx);
    }
    await trx.deleteFrom('shops').where('domain', '=', shop).execute();
    return rows.length + 1;
  });
}

/**
 * shop/redact, 48 h after uninstall: everything of the shop goes.
 *
 * - Database: every row of every table with a `shop` column (model versions and their artifacts
 *   included: artifacts live in model_versions, never on disk), and the shop's row.
 * - Redis: every key that names the shop (its `{shop}` keys: published lists, webhook dedupe
 *   keys, the new-orders counter; its storefront-event rate, bot, seen, token and frequency keys;
 *   holdout gate keys; BullMQ job and deduplication keys), its queued and kept jobs and its job
 *   schedulers in every queue, and its entries in every stream (storefront events not yet
 *   stored, dead letters, BullMQ's job event streams).
 *
 * The shop/redact delivery's own job is running while this runs and cannot remove itself: it
 * goes with the ingest queue's completed-job retention (docs/privacy.md).
 */
export async function redactShop(deps: RedactDeps, shop: string): Promise<ShopRedaction> {
  const done: ShopRedaction = { tables: 0, redisKeys: 0, streamEntries: 0, jobs: 0, schedulers: 0 };
  const { redis, prefix } = deps;
  // Jobs first: a queued sync or training started meanwhile would write rows back.
  for (const queue of deps.queues ?? []) {
    done.schedulers += await removeShopSchedulers(queue, shop);
    done.jobs += await removeJobs(queue, (job) => jobShop(job) === shop);
  }
  done.tables = await eraseShopRows(deps.db, shop);
  if (redis && prefix !== undefined) {
    // A running job's keys stay: the shop/redact delivery itself is one, and BullMQ must still
    // record its completion (it goes with the queue's completed-job retention).
    const running = new Set<string>();
    for (const queue of deps.queues ?? []) for (const job of await queue.getJobs(['active'])) if (job?.id) running.add(`${prefix}:${queue.name}:${job.id}`);
    const ofRunningJob = (key: string) => running.has(key) || running.has(key.slice(0, key.lastIndexOf(':')));
    done.redisKeys = await unlinkAll(redis, await scanKeys(redis, `${globLiteral(prefix)}:*`, (key) => keyNamesShop(key, shop) && !ofRunningJob(key)));
    done.streamEntries = await deleteShopStreamEntries(redis, prefix, shop);
  }
  return done;
}

/** Entries of any stream under the prefix whose fields name the shop (as JSON `"shop"` or as a job id part). */
async function deleteShopStreamEntries(redis: Redis, prefix: string, shop: string): Promise<number> {
  let removed = 0;
  for (const stream of await streamKeys(redis, prefix)) {
    removed += await deleteStreamEntries(redis, stream, (fields) => fields.some((value) => value.includes(`"${shop}"`) || value.includes(`\\"${shop}\\"`) || keyNamesShop(value, shop)));
  }
  return removed;
}
