import type { Db } from '../../../../../shared/db';
import { upsertOrder, upsertProduct, type OrderRecord, type ProductRecord } from '../../../../../worker/store';

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;

export interface SmallStore {
  shop: string;
  products: number;
  orders: number;
  /** Time of the latest order. */
  lastOrderAt: Date;
}

function product(shop: string, n: number, at: Date): ProductRecord {
  const family = ['Mug', 'Candle', 'Tote', 'Card'][n % 4]!;
  return {
    shop,
    id: String(1000 + n),
    title: `${family} ${n}`,
    handle: `${family.toLowerCase()}-${n}`,
    vendor: 'Tiny Goods',
    productType: family,
    tags: [family.toLowerCase()],
    status: 'active',
    publishedAt: at,
    bodyText: `A ${family.toLowerCase()} for the table.`,
    imageUrl: null,
    updatedAt: at,
    variants: [{ id: String(5000 + n), title: null, sku: null, price: '5.00', compareAtPrice: null, inventoryQuantity: 10, inventoryPolicy: 'deny', inventoryManagement: null, position: 1 }],
  };
}

export function order(shop: string, id: string, customer: string | null, at: Date, productNumbers: number[]): OrderRecord {
  return {
    shop,
    id,
    name: `#${id}`,
    createdAt: at,
    updatedAt: at,
    processedAt: at,
    currency: 'GBP',
    presentmentCurrency: 'GBP',
    totalPriceMinor: 500 * productNumbers.length,
    currentTotalPriceMinor: null,
    subtotalPriceMinor: null,
    totalDiscountsMinor: 0,
    financialStatus: 'paid',
    cancelledAt: null,
    customerKey: customer,
    cartToken: null,
    checkoutToken: null,
    landingSite: null,
    noteAttributes: [],
    test: false,
    lineItems: productNumbers.map((n, position) => ({
      id: `${id}${String(position).padStart(2, '0')}`,
      productId: String(1000 + n),
      variantId: String(5000 + n),
      title: `product ${n}`,
      quantity: 1,
      priceMinor: 500,
      totalDiscountMinor: 0,
      properties: [],
    })),
    refunds: [],
  };
}

/**
 * An active shop with `products` products in four families and `customers` customers who each
 * buy mostly from one family, `ordersPerCustomer` times over the `days` before `end`; written
 * through the store functions, as the ingest and sync workers write them.
 */
export async function seedSmallStore(
  db: Db,
  { shop, customers = 30, products = 16, ordersPerCustomer = 5, days = 120, end = new Date('2026-06-01T00:00:00Z'), seed = 7 }: {
    shop: string;
    customers?: number;
    products?: number;
    ordersPerCustomer?: number;
    days?: number;
    end?: Date;
    seed?: number;
  },
): Promise<SmallStore> {
  const rand = random(seed);
  const start = new Date(end.getTime() - days * DAY_MS);
  await db.insertInto('shops').values({ domain: shop, active: true, currency: 'GBP', installed_at: start }).execute();
  for (let n = 0; n < products; n++) await upsertProduct(db, product(shop, n, start));
  let orders = 0;
  let last = start;
  for (let c = 0; c < customers; c++) {
    const family = c % 4;
    for (let k = 0; k < ordersPerCustomer; k++) {
      const at = new Date(start.getTime() + Math.floor(rand() * days * DAY_MS));
      const lines = 1 + Math.floor(rand() * 3);
      const picks = new Set<number>();
      for (let l = 0; l < lines; l++) {
        const inFamily = rand() < 0.8;
        const n = inFamily ? family + 4 * Math.floor(rand() * (products / 4)) : Math.floor(rand() * products);
        picks.add(n);
      }
      orders += 1;
      await upsertOrder(db, order(shop, String(100_000 + orders), `customer-${c}`, at, [...picks]));
      if (at > last) last = at;
    }
  }
  return { shop, products, orders, lastOrderAt: last };
}
