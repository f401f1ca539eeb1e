import type { Db } from '../../db';
import { toMinorUnits } from '../../money';
import { unitsSold } from '../shopper-sessions/units-sold';
import type { StorefrontProduct, StorefrontShop } from './storefront-catalog';

/** Shopify's default money formats for a few currencies; others print the amount and the code. */
const MONEY_FORMATS: Record<string, [string, string]> = {
  GBP: ['£{{amount}}', '£{{amount}} GBP'],
  USD: ['${{amount}}', '${{amount}} USD'],
  EUR: ['€{{amount_with_comma_separator}}', '€{{amount_with_comma_separator}} EUR'],
};

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The shop as its storefront sells it, read from the app's database: the shop's currency and every
 * product with a handle and a priced variant (its first by position), best sellers first. A product
 * that is not active, not published or not available is a draft here: its page is not found.
 */
export async function loadStoreCatalog(db: Db, domain: string, name: string): Promise<{ shop: StorefrontShop; products: StorefrontProduct[] }> {
  const shopRow = await db.selectFrom('shops').select('currency').where('domain', '=', domain).executeTakeFirst();
  const currency = shopRow?.currency ?? 'GBP';
  const rows = await db
    .selectFrom('products as p')
    .innerJoin('product_variants as v', (join) => join.onRef('v.shop', '=', 'p.shop').onRef('v.product_id', '=', 'p.id'))
    .leftJoin(unitsSold(db, domain), (join) => join.onRef('s.product_id', '=', 'p.id'))
    .select(['p.id', 'p.handle', 'p.title', 'p.vendor', 'p.product_type', 'p.status', 'p.published_at', 'p.available', 'p.body_text', 'v.id as variant_id', 'v.price', 'v.position', 's.sold'])
    .where('p.shop', '=', domain)
    .where('p.deleted_at', 'is', null)
    .where('p.handle', 'is not', null)
    .execute();
  const first = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const seen = first.get(row.id);
    if (!seen || row.position < seen.position) first.set(row.id, row);
  }
  const products = [...first.values()]
    .sort((a, b) => Number(b.sold ?? 0) - Number(a.sold ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(
      (row): StorefrontProduct => ({
        id: row.id,
        handle: row.handle!,
        title: row.title,
        vendor: row.vendor ?? '',
        productType: row.product_type ?? '',
        priceMinor: toMinorUnits(String(row.price), currency),
        variantId: row.variant_id,
        status: row.status === 'active' && row.published_at !== null && row.available ? 'active' : 'draft',
        description: row.body_text ? `<p>${escapeHtml(row.body_text)}</p>` : '',
      }),
    );
  const [moneyFormat, moneyWithCurrencyFormat] = MONEY_FORMATS[currency] ?? [`{{amount}} ${currency}`, `{{amount}} ${currency}`];
  return { shop: { domain, name, currency, moneyFormat, moneyWithCurrencyFormat }, products };
}
