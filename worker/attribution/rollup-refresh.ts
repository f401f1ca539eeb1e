import { sql, type Transaction } from 'kysely';
import type { Database } from '../../shared/db';
import { deltaDays, type RollupDeltas } from './rollup-deltas';

const DAILY_KEY = sql.raw('day, placement, sponsored, campaign_id, model_version, source, currency');
const ORDERS_KEY = sql.raw('day, dimension, placement, sponsored, model_version, campaign_id, currency');

/**
 * Adds one order's rollup deltas (rollupDeltas) to attribution_daily, attribution_daily_orders
 * and store_daily in one statement: a missing row is inserted, an existing one has the deltas
 * added. Rows the change left without any order are deleted after, in a second statement only
 * when there are some. Call it with the locks of the deltas' days held (writeAttributionChanges
 * takes them): a day's rows then change one order at a time, in the order the locks were granted,
 * and each row stays the sum over the stored rows that carry its key.
 */
export async function applyRollupDeltas(trx: Transaction<Database>, shop: string, deltas: RollupDeltas): Promise<void> {
  const parts = [];
  if (deltas.daily.length) {
    parts.push(sql`daily as (
      insert into attribution_daily as t (shop, ${DAILY_KEY}, orders, line_items, net_minor)
      select ${shop}, ${DAILY_KEY}, orders, line_items, net_minor
      from jsonb_to_recordset(${JSON.stringify(deltas.daily)}::jsonb)
        as d(day text, placement text, sponsored boolean, campaign_id bigint, model_version text, source text, currency text, orders integer, line_items integer, net_minor bigint)
      order by ${DAILY_KEY}
      on conflict (shop, day, placement, sponsored, campaign_id, model_version, source, currency) do update
        set orders = t.orders + excluded.orders, line_items = t.line_items + excluded.line_items, net_minor = t.net_minor + excluded.net_minor
      returning t.orders
    )`);
  }
  if (deltas.orders.length) {
    parts.push(sql`daily_orders as (
      insert into attribution_daily_orders as t (shop, ${ORDERS_KEY}, vendor, orders, click_orders, line_items, net_minor)
      select ${shop}, ${ORDERS_KEY}, '', orders, click_orders, line_items, net_minor
      from jsonb_to_recordset(${JSON.stringify(deltas.orders)}::jsonb)
        as d(day text, dimension text, placement text, sponsored boolean, model_version text, campaign_id bigint, currency text, orders integer, click_orders integer, line_items integer, net_minor bigint)
      order by ${ORDERS_KEY}
      on conflict (shop, day, dimension, placement, sponsored, model_version, campaign_id, vendor, currency) do update
        set orders = t.orders + excluded.orders, click_orders = t.click_orders + excluded.click_orders,
            line_items = t.line_items + excluded.line_items, net_minor = t.net_minor + excluded.net_minor
      returning t.orders
    )`);
  }
  if (deltas.store.length) {
    parts.push(sql`store as (
      insert into store_daily as t (shop, day, currency, orders, net_minor, orders_with_recommendation, net_with_recommendation_minor)
      select ${shop}, day, currency, orders, net_minor, orders_with_recommendation, net_with_recommendation_minor
      from jsonb_to_recordset(${JSON.stringify(deltas.store)}::jsonb)
        as d(day text, currency text, orders integer, net_minor bigint, orders_with_recommendation integer, net_with_recommendation_minor bigint)
      order by day, currency
      on conflict (shop, day, currency) do update
        set orders = t.orders + excluded.orders, net_minor = t.net_minor + excluded.net_minor,
            orders_with_recommendation = t.orders_with_recommendation + excluded.orders_with_recommendation,
            net_with_recommendation_minor = t.net_with_recommendation_minor + excluded.net_with_recommendation_minor
      returning t.orders
    )`);
  }
  if (!parts.length) return;
  const names = [deltas.daily.length && 'daily', deltas.orders.length && 'daily_orders', deltas.store.length && 'store'].filter((n): n is string => Boolean(n));
  const emptied = sql.join(names.map((n) => sql`(select count(*) from ${sql.table(n)} where orders = 0)`), sql` + `);
  const { rows } = await sql<{ emptied: number | string }>`with ${sql.join(parts)} select ${emptied} as emptied`.execute(trx);
  if (Number(rows[0]?.emptied ?? 0) === 0) return;
  // A row no order counts in any more goes, as a rebuild would not have it (its figures are all 0).
  const days = sql`${`{${deltaDays(deltas).join(',')}}`}::text[]`;
  await sql`
    with a as (delete from attribution_daily where shop = ${shop} and day = any(${days}) and orders = 0),
         b as (delete from attribution_daily_orders where shop = ${shop} and day = any(${days}) and orders = 0)
    delete from store_daily where shop = ${shop} and day = any(${days}) and orders = 0`.execute(trx);
}
