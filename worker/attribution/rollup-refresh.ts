import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../shared/db';
import { deltaDays, type RollupDeltas } from './rollup-deltas';

const DAILY_KEY = sql.raw('day, placement, sponsored, campaign_id, model_version, source, currency');
const ORDERS_KEY = sql.raw('day, dimension, placement, sponsored, model_version, campaign_id, currency');

/**
 * The common table expressions that add one order's rollup deltas (rollupDeltas) to
 * attribution_daily, attribution_daily_orders and store_daily (a missing row is inserted, an
 * existing one has the deltas added, from its latest committed version), and the expression that
 * counts the rows left with no order. `gate` is a one-row subquery every insert joins: the
 * statement's advisory locks of the deltas' days (writeAttributionChanges), so none of the rows is
 * touched before they are held. A day's rows then change one order at a time, in the order the
 * locks were granted, and each stays the sum over the stored rows that carry its key.
 */
export function rollupDeltaCtes(shop: string, deltas: RollupDeltas, gate: RawBuilder<unknown>): { ctes: RawBuilder<unknown>[]; emptied: RawBuilder<unknown> } {
  const ctes: RawBuilder<unknown>[] = [];
  const names: string[] = [];
  if (deltas.daily.length) {
    names.push('daily');
    ctes.push(sql`daily as (
      insert into attribution_daily as t (shop, ${DAILY_KEY}, orders, line_items, net_minor)
      select ${shop}, ${DAILY_KEY}, orders, line_items, net_minor
      from jsonb_to_recordset(${JSON.stringify(deltas.daily)}::jsonb)
        as d(day text, placement text, sponsored boolean, campaign_id bigint, model_version text, source text, currency text, orders integer, line_items integer, net_minor bigint)
        cross join ${gate} as gate
      order by ${DAILY_KEY}
      on conflict (shop, day, placement, sponsored, campaign_id, model_version, source, currency) do update
        set orders = t.orders + excluded.orders, line_items = t.line_items + excluded.line_items, net_minor = t.net_minor + excluded.net_minor
      returning t.orders
    )`);
  }
  if (deltas.orders.length) {
    names.push('daily_orders');
    ctes.push(sql`daily_orders as (
      insert into attribution_daily_orders as t (shop, ${ORDERS_KEY}, vendor, orders, click_orders, line_items, net_minor)
      select ${shop}, ${ORDERS_KEY}, '', orders, click_orders, line_items, net_minor
      from jsonb_to_recordset(${JSON.stringify(deltas.orders)}::jsonb)
        as d(day text, dimension text, placement text, sponsored boolean, model_version text, campaign_id bigint, currency text, orders integer, click_orders integer, line_items integer, net_minor bigint)
        cross join ${gate} as gate
      order by ${ORDERS_KEY}
      on conflict (shop, day, dimension, placement, sponsored, model_version, campaign_id, vendor, currency) do update
        set orders = t.orders + excluded.orders, click_orders = t.click_orders + excluded.click_orders,
            line_items = t.line_items + excluded.line_items, net_minor = t.net_minor + excluded.net_minor
      returning t.orders
    )`);
  }
  if (deltas.store.length) {
    names.push('store');
    ctes.push(sql`store as (
      insert into store_daily as t (shop, day, currency, orders, net_minor, orders_with_recommendation, net_with_recommendation_minor)
      select ${shop}, day, currency, orders, net_minor, orders_with_recommendation, net_with_recommendation_minor
      from jsonb_to_recordset(${JSON.stringify(deltas.store)}::jsonb)
        as d(day text, currency text, orders integer, net_minor bigint, orders_with_recommendation integer, net_with_recommendation_minor bigint)
        cross join ${gate} as gate
      order by day, currency
      on conflict (shop, day, currency) do update
        set orders = t.orders + excluded.orders, net_minor = t.net_minor + excluded.net_minor,
            orders_with_recommendation = t.orders_with_recommendation + excluded.orders_with_recommendation,
            net_with_recommendation_minor = t.net_with_recommendation_minor + excluded.net_with_recommendation_minor
      returning t.orders
    )`);
  }
  const emptied = names.length ? sql.join(names.map((n) => sql`(select count(*) from ${sql.table(n)} where orders = 0)`), sql` + `) : sql`0`;
  return { ctes, emptied };
}

/**
 * Deletes the rollup rows of the deltas' days that no order counts in any more (a rebuild would
 * not have them: their figures are all 0). Run it when rollupDeltaCtes' `emptied` counted some,
 * with the days' locks still held.
 */
export async function deleteEmptiedRollups(trx: Transaction<Database>, shop: string, deltas: RollupDeltas): Promise<void> {
  const days = sql`${`{${deltaDays(deltas).join(',')}}`}::text[]`;
  await sql`
    with a as (delete from attribution_daily where shop = ${shop} and day = any(${days}) and orders = 0),
         b as (delete from attribution_daily_orders where shop = ${shop} and day = any(${days}) and orders = 0)
    delete from store_daily where shop = ${shop} and day = any(${days}) and orders = 0`.execute(trx);
}
