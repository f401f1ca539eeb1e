import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../../shared/db';

/**
 * Rebuilds attribution_daily_orders of one day from order_attributions: per report dimension
 * (the whole shop, placement, model version, campaign) the distinct orders with a credit, those
 * with a credit that is not view-through, the lines and their net revenue. No 'vendor' rows are
 * written: a campaign's vendor can be edited, so vendor reports sum their campaigns' rows instead.
 * Call it with the day's advisory lock held (rebuildDailyRollup).
 */
export async function rebuildDailyOrders(trx: Transaction<Database>, shop: string, day: string): Promise<void> {
  await trx.deleteFrom('attribution_daily_orders').where('shop', '=', shop).where('day', '=', day).execute();
  const figures = sql`count(distinct a.order_id), count(distinct a.order_id) filter (where a.source <> 'view'), count(*), sum(a.net_minor)`;
  const credits = sql`order_attributions a where a.shop = ${shop} and a.day = ${day} and a.net_minor > 0`;
  await sql`
    insert into attribution_daily_orders (shop, day, dimension, placement, sponsored, model_version, campaign_id, vendor, currency, orders, click_orders, line_items, net_minor)
    select ${shop}, ${day}, 'all', '', false, '', 0, '', a.currency, ${figures}
    from ${credits} group by a.currency
    union all
    select ${shop}, ${day}, 'placement', a.placement, a.sponsored, '', 0, '', a.currency, ${figures}
    from ${credits} group by a.placement, a.sponsored, a.currency
    union all
    select ${shop}, ${day}, 'model', '', false, coalesce(a.model_version, ''), 0, '', a.currency, ${figures}
    from ${credits} group by coalesce(a.model_version, ''), a.currency
    union all
    select ${shop}, ${day}, 'campaign', '', true, '', a.campaign_id, '', a.currency, ${figures}
    from ${credits} and a.campaign_id is not null group by a.campaign_id, a.currency
  `.execute(trx);
}
