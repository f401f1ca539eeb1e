import type { Db } from '../../../shared/db';

/**
 * Campaigns for the serving benchmark: the `vendors` vendors with the most products each promote
 * up to `productsPerCampaign` of them, with budgets no run can spend (nothing is clicked here).
 * The frequency cap is raised so that the load generator's shoppers keep meeting the auction
 * rather than the cheaper "capped" path.
 */
export async function seedSponsoredCampaigns(db: Db, shop: string, options: { vendors: number; productsPerCampaign: number }): Promise<{ campaigns: number; products: number }> {
  const products = await db
    .selectFrom('products')
    .select(['id', 'vendor'])
    .where('shop', '=', shop)
    .where('status', '=', 'active')
    .where('available', '=', true)
    .orderBy('id')
    .execute();
  const byVendor = new Map<string, string[]>();
  for (const p of products) {
    if (!p.vendor) continue;
    let list = byVendor.get(p.vendor);
    if (!list) byVendor.set(p.vendor, (list = []));
    list.push(p.id);
  }
  const vendors = [...byVendor].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0])).slice(0, options.vendors);
  let promoted = 0;
  for (const [i, [vendor, ids]] of vendors.entries()) {
    const row = await db
      .insertInto('sponsored_campaigns')
      .values({
        shop,
        name: `${vendor} always on`,
        vendor,
        advertiser: vendor,
        max_cpc_minor: 20 + ((i * 37) % 180),
        daily_budget_minor: 100_000_000,
        total_budget_minor: 1_000_000_000,
        currency: 'GBP',
        starts_at: new Date(Date.now() - 86_400_000).toISOString(),
        ends_at: null,
        placements: JSON.stringify(['related', 'fbt', 'for_you', 'cart', 'sponsored']),
        status: 'active',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const chosen = ids.slice(0, options.productsPerCampaign);
    promoted += chosen.length;
    await db
      .insertInto('sponsored_campaign_products')
      .values(chosen.map((product_id) => ({ campaign_id: String(row.id), shop, product_id })))
      .execute();
  }
  await db.insertInto('sponsored_settings').values({ shop, frequency_cap_per_day: 1000 }).execute();
  return { campaigns: vendors.length, products: promoted };
}
