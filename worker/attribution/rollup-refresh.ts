import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../shared/db';
import type { CreditRollupKey, StoreRollupKey } from './credit-changes';

/** Keys of one day, deduplicated, as the jsonb records the refresh statement reads. */
interface DayKeys {
  daily: Map<string, object>;
  orders: Map<string, object>;
  store: Set<string>;
}

function put(map: Map<string, object>, record: object): void {
  map.set(JSON.stringify(record), record);
}

function keysByDay(credits: readonly CreditRollupKey[], stores: readonly StoreRollupKey[]): Map<string, DayKeys> {
  const days = new Map<string, DayKeys>();
  const of = (day: string): DayKeys => {
    let keys = days.get(day);
    if (!keys) days.set(day, (keys = { daily: new Map(), orders: new Map(), store: new Set() }));
    return keys;
  };
  for (const k of credits) {
    const keys = of(k.day);
    const campaign = k.campaignId ?? '0';
    const model = k.modelVersion ?? '';
    put(keys.daily, { placement: k.placement, sponsored: k.sponsored, campaign_id: campaign, model_version: model, source: k.source, currency: k.currency });
    // attribution_daily_orders rows this credit counts in, with the table's sentinels.
    put(keys.orders, { dimension: 'all', placement: '', sponsored: false, model_version: '', campaign_id: '0', currency: k.currency });
    put(keys.orders, { dimension: 'placement', placement: k.placement, sponsored: k.sponsored, model_version: '', campaign_id: '0', currency: k.currency });
    put(keys.orders, { dimension: 'model', placement: '', sponsored: false, model_version: model, campaign_id: '0', currency: k.currency });
    if (k.campaignId !== null) put(keys.orders, { dimension: 'campaign', placement: '', sponsored: true, model_version: '', campaign_id: k.campaignId, currency: k.currency });
  }
  for (const k of stores) of(k.day).store.add(k.currency);
  return days;
}

const json = (records: Iterable<unknown>): string => JSON.stringify([...records]);

/**
 * Recomputes, from the day's stored rows, only the given rollup rows of one day: attribution_daily
 * and attribution_daily_orders from order_attributions, store_daily from order_revenue. Rows whose
 * figures did not change are not rewritten, rows with nothing left are deleted. One statement: its
 * snapshot is taken after the day's lock, so it sees every commit of the day's other writers.
 */
function refreshDayStatement(shop: string, day: string, keys: DayKeys): RawBuilder<unknown> {
  const creditKeyColumns = sql`placement, sponsored, campaign_id, model_version, source, currency`;
  const orderKeyColumns = sql`dimension, placement, sponsored, model_version, campaign_id, currency`;
  return sql`
    with credits as materialized (
      select order_id, placement, sponsored, coalesce(campaign_id, 0) as campaign_id, campaign_id is not null as has_campaign,
             coalesce(model_version, '') as model_version, source, currency, net_minor
      from order_attributions
      where shop = ${shop} and day = ${day} and net_minor > 0
    ),
    daily_keys as (
      select * from jsonb_to_recordset(${json(keys.daily.values())}::jsonb)
        as k(placement text, sponsored boolean, campaign_id bigint, model_version text, source text, currency text)
    ),
    daily_fresh as (
      -- Per order first, then per key: hash aggregates instead of sorting for count(distinct).
      select ${creditKeyColumns}, count(distinct order_id) as orders, count(*) as line_items, sum(net_minor) as net_minor
      from credits
      where (${creditKeyColumns}) in (select ${creditKeyColumns} from daily_keys)
      group by ${creditKeyColumns}
    ),
    daily_written as (
      insert into attribution_daily (shop, day, ${creditKeyColumns}, orders, line_items, net_minor)
      select ${shop}, ${day}, ${creditKeyColumns}, orders, line_items, net_minor from daily_fresh
      on conflict (shop, day, placement, sponsored, campaign_id, model_version, source, currency) do update
        set orders = excluded.orders, line_items = excluded.line_items, net_minor = excluded.net_minor
        where (attribution_daily.orders, attribution_daily.line_items, attribution_daily.net_minor)
          is distinct from (excluded.orders, excluded.line_items, excluded.net_minor)
    ),
    daily_removed as (
      delete from attribution_daily t
      where t.shop = ${shop} and t.day = ${day}
        and (t.placement, t.sponsored, t.campaign_id, t.model_version, t.source, t.currency) in (select ${creditKeyColumns} from daily_keys)
        and (t.placement, t.sponsored, t.campaign_id, t.model_version, t.source, t.currency) not in (select ${creditKeyColumns} from daily_fresh)
    ),
    orders_keys as (
      select * from jsonb_to_recordset(${json(keys.orders.values())}::jsonb)
        as k(dimension text, placement text, sponsored boolean, model_version text, campaign_id bigint, currency text)
    ),
    orders_fresh as (
      select ${orderKeyColumns}, count(distinct order_id) as orders, count(distinct order_id) filter (where source <> 'view') as click_orders,
             count(*) as line_items, sum(net_minor) as net_minor
      from (
        select 'all' as dimension, '' as placement, false as sponsored, '' as model_version, 0::bigint as campaign_id, currency, order_id, source, net_minor from credits
        union all
        select 'placement', placement, sponsored, '', 0, currency, order_id, source, net_minor from credits
        union all
        select 'model', '', false, model_version, 0, currency, order_id, source, net_minor from credits
        union all
        select 'campaign', '', true, '', campaign_id, currency, order_id, source, net_minor from credits where has_campaign
      ) c
      where (${orderKeyColumns}) in (select ${orderKeyColumns} from orders_keys)
      group by ${orderKeyColumns}
    ),
    orders_written as (
      insert into attribution_daily_orders (shop, day, ${orderKeyColumns}, vendor, orders, click_orders, line_items, net_minor)
      select ${shop}, ${day}, ${orderKeyColumns}, '', orders, click_orders, line_items, net_minor from orders_fresh
      on conflict (shop, day, dimension, placement, sponsored, model_version, campaign_id, vendor, currency) do update
        set orders = excluded.orders, click_orders = excluded.click_orders, line_items = excluded.line_items, net_minor = excluded.net_minor
        where (attribution_daily_orders.orders, attribution_daily_orders.click_orders, attribution_daily_orders.line_items, attribution_daily_orders.net_minor)
          is distinct from (excluded.orders, excluded.click_orders, excluded.line_items, excluded.net_minor)
    ),
    orders_removed as (
      delete from attribution_daily_orders t
      where t.shop = ${shop} and t.day = ${day} and t.vendor = ''
        and (t.dimension, t.placement, t.sponsored, t.model_version, t.campaign_id, t.currency) in (select ${orderKeyColumns} from orders_keys)
        and (t.dimension, t.placement, t.sponsored, t.model_version, t.campaign_id, t.currency) not in (select ${orderKeyColumns} from orders_fresh)
    ),
    store_keys as (
      select currency from jsonb_array_elements_text(${json(keys.store)}::jsonb) as k(currency)
    ),
    store_fresh as (
      select currency, count(*) as orders, sum(net_minor) as net_minor,
             count(*) filter (where has_recommendation) as orders_with_recommendation,
             coalesce(sum(net_minor) filter (where has_recommendation), 0) as net_with_recommendation_minor
      from order_revenue
      where shop = ${shop} and day = ${day} and currency in (select currency from store_keys)
      group by currency
    ),
    store_written as (
      insert into store_daily (shop, day, currency, orders, net_minor, orders_with_recommendation, net_with_recommendation_minor)
      select ${shop}, ${day}, currency, orders, net_minor, orders_with_recommendation, net_with_recommendation_minor from store_fresh
      on conflict (shop, day, currency) do update
        set orders = excluded.orders, net_minor = excluded.net_minor, orders_with_recommendation = excluded.orders_with_recommendation,
            net_with_recommendation_minor = excluded.net_with_recommendation_minor
        where (store_daily.orders, store_daily.net_minor, store_daily.orders_with_recommendation, store_daily.net_with_recommendation_minor)
          is distinct from (excluded.orders, excluded.net_minor, excluded.orders_with_recommendation, excluded.net_with_recommendation_minor)
    ),
    store_removed as (
      delete from store_daily t
      where t.shop = ${shop} and t.day = ${day}
        and t.currency in (select currency from store_keys) and t.currency not in (select currency from store_fresh)
    )
    select 1 as done
  `;
}

/** The days whose rollup rows the changes touch, sorted (the order their locks are taken in). */
export function rollupDays(changed: { creditKeys: readonly CreditRollupKey[]; storeKeys: readonly StoreRollupKey[] }): string[] {
  return [...new Set([...changed.creditKeys.map((k) => k.day), ...changed.storeKeys.map((k) => k.day)])].sort();
}

/**
 * Brings the rollup rows of the given keys up to date with order_attributions and order_revenue,
 * one statement per day. Call it with the locks of rollupDays held (lockDay's, as
 * writeAttributionChanges takes them), after the changes are
 * written. A key's figures depend only on the rows that carry it, so refreshing the keys of the
 * rows a transaction changed keeps the whole rollup equal to a full rebuild.
 */
export async function refreshDailyRollup(trx: Transaction<Database>, shop: string, changed: { creditKeys: readonly CreditRollupKey[]; storeKeys: readonly StoreRollupKey[] }): Promise<void> {
  const days = keysByDay(changed.creditKeys, changed.storeKeys);
  for (const day of rollupDays(changed)) await refreshDayStatement(shop, day, days.get(day)!).execute(trx);
}
