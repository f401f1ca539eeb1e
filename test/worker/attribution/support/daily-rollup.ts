import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../../shared/db';
import { rebuildDailyOrders } from './daily-orders';
import { lockDaysQuery } from '../../../../worker/attribution/locks';
import { rebuildStoreDaily } from './store-daily';

/**
 * Rebuilds the shop's rollup rows of each day from its order_attributions rows (attribution_daily
 * and attribution_daily_orders) and order_revenue rows (store_daily): correct whatever order
 * re-attributions run in, and as often as they repeat. Only lines with net revenue left count (a
 * fully refunded line is in order_attributions at 0, not in the rollups). reattributeOrder adds
 * each order's change of contribution (rollupDeltaCtes); this full rebuild of whole days is the test's
 * independent recount of what the rollups must hold.
 */
export async function rebuildDailyRollup(trx: Transaction<Database>, shop: string, days: readonly string[]): Promise<void> {
  for (const day of [...new Set(days)].sort()) {
    await lockDaysQuery(shop, [day]).execute(trx);
    await trx.deleteFrom('attribution_daily').where('shop', '=', shop).where('day', '=', day).execute();
    await sql`
      insert into attribution_daily (shop, day, placement, sponsored, campaign_id, model_version, source, currency, orders, line_items, net_minor)
      select shop, day, placement, sponsored, coalesce(campaign_id, 0), coalesce(model_version, ''), source, currency,
             count(distinct order_id), count(*), sum(net_minor)
      from order_attributions
      where shop = ${shop} and day = ${day} and net_minor > 0
      group by shop, day, placement, sponsored, coalesce(campaign_id, 0), coalesce(model_version, ''), source, currency
    `.execute(trx);
    await rebuildDailyOrders(trx, shop, day);
    await rebuildStoreDaily(trx, shop, day);
  }
}
