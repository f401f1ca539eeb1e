import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../../shared/db';

/**
 * Rebuilds store_daily of one day from order_revenue: the store's orders and net line revenue,
 * and those of orders with attributed revenue. Call it with the day's advisory lock held
 * (rebuildDailyRollup), in the transaction that wrote order_revenue.
 */
export async function rebuildStoreDaily(trx: Transaction<Database>, shop: string, day: string): Promise<void> {
  await trx.deleteFrom('store_daily').where('shop', '=', shop).where('day', '=', day).execute();
  await sql`
    insert into store_daily (shop, day, currency, orders, net_minor, orders_with_recommendation, net_with_recommendation_minor)
    select shop, day, currency, count(*), sum(net_minor),
           count(*) filter (where has_recommendation), coalesce(sum(net_minor) filter (where has_recommendation), 0)
    from order_revenue
    where shop = ${shop} and day = ${day}
    group by shop, day, currency
  `.execute(trx);
}
