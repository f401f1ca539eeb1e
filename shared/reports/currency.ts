import type { Db } from '../db';

/**
 * The shop's currency (ISO 4217): the one the install recorded, else the one its orders were
 * counted in, else 'USD' (a shop with neither has no money to show yet).
 */
export async function reportCurrency(db: Db, shop: string): Promise<string> {
  const shopRow = await db.selectFrom('shops').select('currency').where('domain', '=', shop).executeTakeFirst();
  if (shopRow?.currency) return shopRow.currency;
  const counted = await db.selectFrom('store_daily').select('currency').where('shop', '=', shop).orderBy('day', 'desc').limit(1).executeTakeFirst();
  return counted?.currency ?? 'USD';
}
