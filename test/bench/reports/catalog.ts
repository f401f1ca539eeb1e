import type { Db } from '../../../shared/db';

/** The bench store's products and campaigns, as the event and order generators need them. */
export interface BenchCatalog {
  productIds: string[];
  /** Price of each product's one variant, minor units (same order as productIds). */
  priceMinor: Map<string, number>;
  variantOf: Map<string, string>;
  campaigns: Array<{ id: string; vendor: string; productIds: string[]; maxCpcMinor: number }>;
}

const VENDORS = 40;
const TYPES = ['Mug', 'Teapot', 'Apron', 'Board', 'Bowl', 'Candle', 'Lamp', 'Vase', 'Rug', 'Basket', 'Towel', 'Jug'];

/**
 * Writes the shop, `products` products (one variant each) over 40 vendors, and `campaigns`
 * always-on campaigns of the biggest vendors, each promoting up to 25 of their products, with
 * budgets a year of clicks cannot spend (the bench measures reports, not pacing).
 */
export async function seedCatalog(db: Db, options: { shop: string; products: number; campaigns: number; startsAt: Date; random: () => number }): Promise<BenchCatalog> {
  const { shop, random } = options;
  await db.insertInto('shops').values({ domain: shop, active: true, currency: 'EUR', installed_at: options.startsAt }).execute();
  const productIds: string[] = [];
  const priceMinor = new Map<string, number>();
  const variantOf = new Map<string, string>();
  const vendorOf = new Map<string, string>();
  const rows = [];
  const variants = [];
  for (let i = 0; i < options.products; i++) {
    const id = String(7_100_000_001 + i);
    const vendor = `Vendor ${String(Math.floor(Math.pow(random(), 1.6) * VENDORS) + 1).padStart(2, '0')}`;
    const type = TYPES[i % TYPES.length]!;
    const price = 500 + Math.floor(random() * 9500);
    const title = `${type} ${i + 1}`;
    productIds.push(id);
    priceMinor.set(id, price);
    variantOf.set(id, String(81_000_000_001 + i));
    vendorOf.set(id, vendor);
    rows.push({
      shop,
      id,
      title,
      handle: `${type.toLowerCase()}-${i + 1}`,
      vendor,
      product_type: type,
      tags: JSON.stringify([`tag-${i % 30}`]),
      status: 'active',
      published_at: options.startsAt,
      body_text: `${title} by ${vendor}.`,
      search_text: `${title} ${type} ${vendor}`,
      image_url: null,
      available: true,
      min_price: (price / 100).toFixed(2),
      updated_at: options.startsAt,
      version_hash: `bench-${i}`,
      deleted_at: null,
    });
    variants.push({ shop, id: variantOf.get(id)!, product_id: id, title: 'Default Title', sku: `SKU-${i}`, price: (price / 100).toFixed(2), compare_at_price: null, inventory_quantity: 10, inventory_policy: 'deny', inventory_management: 'shopify', available: true, position: 1 });
  }
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insertInto('products').values(rows.slice(i, i + 1000)).execute();
    await db.insertInto('product_variants').values(variants.slice(i, i + 1000)).execute();
  }

  const byVendor = new Map<string, string[]>();
  for (const id of productIds) {
    const v = vendorOf.get(id)!;
    byVendor.set(v, [...(byVendor.get(v) ?? []), id]);
  }
  const biggest = [...byVendor].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0])).slice(0, options.campaigns);
  const campaigns: BenchCatalog['campaigns'] = [];
  for (const [i, [vendor, ids]] of biggest.entries()) {
    const maxCpcMinor = 30 + ((i * 37) % 150);
    const row = await db
      .insertInto('sponsored_campaigns')
      .values({
        shop,
        name: `${vendor} always on`,
        vendor,
        advertiser: vendor,
        max_cpc_minor: maxCpcMinor,
        daily_budget_minor: 100_000_000,
        total_budget_minor: 10_000_000_000,
        currency: 'EUR',
        starts_at: options.startsAt,
        ends_at: null,
        placements: JSON.stringify(['related', 'fbt', 'for_you', 'cart', 'sponsored']),
        status: 'active',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const promoted = ids.slice(0, 25);
    await db.insertInto('sponsored_campaign_products').values(promoted.map((product_id) => ({ campaign_id: String(row.id), shop, product_id }))).execute();
    campaigns.push({ id: String(row.id), vendor, productIds: promoted, maxCpcMinor });
  }
  await db.insertInto('sponsored_settings').values({ shop, frequency_cap_per_day: 1000 }).execute();
  return { productIds, priceMinor, variantOf, campaigns };
}
