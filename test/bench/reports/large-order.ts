import type { Db } from '../../../shared/db';
import { signRecommendationToken, TOKEN_PROPERTY, type StorefrontEventEntry } from '../../../shared/tracking';
import { writeEventBatch } from '../../../worker/events';
import type { BenchCatalog } from './catalog';
import { customerKeyOf } from './storefront-events';

export const LARGE_ORDER_ID = '5599999999999';
const DAY_MS = 86_400_000;

/**
 * The attribution case of issue 6: an order of 100 lines (100 products) whose customer clicked
 * 80 of them twice over the 5 days before (recommendation clicks; 10 of them sponsored) and saw
 * 10 more as sponsored impressions the same day (view-through candidates); 20 lines carry a
 * `_shelfwise` token property. Events go through writeEventBatch like all others.
 */
export async function writeLargeOrder(options: { db: Db; shop: string; catalog: BenchCatalog; tokenKey: Buffer; pseudonymKey: string; customer: number; orderMs: number }): Promise<{ orderId: string; events: number }> {
  const { db, shop, catalog } = options;
  const customerKey = customerKeyOf(options.pseudonymKey, shop, options.customer);
  const products = catalog.productIds.filter((_, i) => i % 20 === 7).slice(0, 100);
  const campaign = catalog.campaigns[0]!;
  const entries: StorefrontEventEntry[] = [];
  const tokens = new Map<string, string>();
  products.forEach((productId, i) => {
    if (i >= 90) return;
    const sponsoredView = i >= 80;
    const sponsored = sponsoredView || i % 8 === 0;
    const sponsorship = sponsored ? { campaignId: campaign.id, priceMinor: campaign.maxCpcMinor } : null;
    for (let touch = 0; touch < (sponsoredView ? 1 : 2); touch++) {
      const at = options.orderMs - (sponsoredView ? 3_600_000 : Math.floor(((i * 7 + touch * 13) % 50) / 10 * DAY_MS) + 60_000);
      const impressionId = `big${i}t${touch}`;
      const token = signRecommendationToken(options.tokenKey, shop, { impressionId, placement: sponsored ? 'sponsored' : 'related', productId, position: i % 6, modelVersion: 'v6', sponsored, issuedAt: Math.floor(at / 1000), sponsorship });
      tokens.set(productId, token);
      const base = { v: 1 as const, shop, consent: true, visitor_key: customerKey, customer_key: customerKey, impression_id: impressionId, placement: sponsored ? ('sponsored' as const) : ('related' as const), product_id: productId, position: i % 6, model_version: 'v6', sponsored, token, ...(sponsorship ? { campaign_id: sponsorship.campaignId, price_minor: sponsorship.priceMinor } : {}) };
      entries.push({ ...base, id: `big-${i}-${touch}-imp`, type: 'impression', occurred_at: at, received_at: at });
      if (!sponsoredView) entries.push({ ...base, id: `big-${i}-${touch}-click`, type: 'click', occurred_at: at + 10_000, received_at: at + 10_000 });
    }
  });
  await writeEventBatch(db, entries);
  const created = new Date(options.orderMs);
  await db
    .insertInto('orders')
    .values({
      shop,
      id: LARGE_ORDER_ID,
      name: '#LARGE',
      created_at: created,
      updated_at: created,
      processed_at: created,
      currency: 'EUR',
      presentment_currency: 'EUR',
      total_price_minor: 0,
      current_total_price_minor: 0,
      subtotal_price_minor: 0,
      total_discounts_minor: 0,
      financial_status: 'paid',
      cancelled_at: null,
      customer_key: customerKey,
      cart_token: null,
      checkout_token: null,
      landing_site: null,
      note_attributes: '[]',
      test: false,
      version_hash: 'bench-large',
    })
    .execute();
  await db
    .insertInto('order_line_items')
    .values(
      products.map((productId, position) => ({
        shop,
        id: String(9_900_000_000_000 + position),
        order_id: LARGE_ORDER_ID,
        product_id: productId,
        variant_id: catalog.variantOf.get(productId)!,
        title: `Product ${productId}`,
        quantity: 1 + (position % 3),
        price_minor: catalog.priceMinor.get(productId)!,
        total_discount_minor: 0,
        properties: JSON.stringify(position < 20 && tokens.has(productId) ? [{ name: TOKEN_PROPERTY, value: tokens.get(productId)! }] : []),
        position,
      })),
    )
    .execute();
  return { orderId: LARGE_ORDER_ID, events: entries.length };
}
