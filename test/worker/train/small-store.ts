import type { Db } from '../../../shared/db';
import { seededRandom } from '../../../worker/recommend/evaluation';
import { upsertOrder, upsertProduct, type LineItemRecord, type OrderRecord } from '../../../worker/store';

const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 0, 1, 9);
const TOPICS = ['garden', 'kitchen', 'candles'];

export interface SmallStore {
  orders: number;
  lineItems: number;
  products: number;
}

export function productId(i: number): string {
  return String(8_000_000 + i);
}

export async function writeProducts(db: Db, shop: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    await upsertProduct(db, {
      shop,
      id: productId(i),
      title: `${topic} item ${i}`,
      handle: `${topic}-item-${i}`,
      vendor: `vendor ${i % 4}`,
      productType: topic,
      tags: [topic, `size-${i % 2 ? 'small' : 'large'}`],
      status: 'active',
      publishedAt: new Date(START),
      bodyText: `A ${topic} thing`,
      imageUrl: null,
      updatedAt: new Date(START),
      variants: [{ id: String(9_000_000 + i), title: null, sku: null, price: '5.00', compareAtPrice: null, inventoryQuantity: null, inventoryPolicy: 'deny', inventoryManagement: null, position: 1 }],
    });
  }
}

export function order(shop: string, n: number, at: Date, customerKey: string | null, products: Array<string | null>, extra: Partial<OrderRecord> = {}): OrderRecord {
  const lineItems: LineItemRecord[] = products.map((productId, j) => ({
    id: `${n}${String(j).padStart(2, '0')}`,
    productId,
    variantId: null,
    title: productId ? `product ${productId}` : 'shipping protection',
    quantity: 1,
    priceMinor: 500,
    totalDiscountMinor: 0,
    properties: [],
  }));
  return {
    shop,
    id: String(5_000_000 + n),
    name: `#${n}`,
    createdAt: at,
    updatedAt: at,
    processedAt: at,
    currency: 'GBP',
    presentmentCurrency: 'GBP',
    totalPriceMinor: 500 * products.length,
    currentTotalPriceMinor: 500 * products.length,
    subtotalPriceMinor: 500 * products.length,
    totalDiscountsMinor: 0,
    financialStatus: 'paid',
    cancelledAt: null,
    customerKey,
    cartToken: null,
    checkoutToken: null,
    landingSite: null,
    noteAttributes: [],
    test: false,
    lineItems,
    refunds: [],
    ...extra,
  };
}

/**
 * A store that can be learned from, written through the store functions: `customers` customers
 * over `days` days, each keen on one of three topics (most of their baskets come from it, and
 * they re-buy favourites), plus a few guest orders. Deterministic for a seed.
 */
export async function writeSmallStore(db: Db, { shop, customers = 40, products = 30, days = 120, ordersPerCustomer = 8, seed = 7 }: { shop: string; customers?: number; products?: number; days?: number; ordersPerCustomer?: number; seed?: number }): Promise<SmallStore> {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  await writeProducts(db, shop, products);
  const ofTopic = (t: number) => Array.from({ length: products }, (_, i) => i).filter((i) => i % TOPICS.length === t);
  let n = 0;
  let lineItems = 0;
  const plans: Array<{ at: number; customer: string | null; items: string[] }> = [];
  for (let c = 0; c < customers; c++) {
    const topic = ofTopic(c % TOPICS.length);
    const favourite = topic[pick(topic.length)]!;
    for (let k = 0; k < ordersPerCustomer; k++) {
      const items = new Set<number>([favourite]);
      const size = 1 + pick(3);
      while (items.size < size + 1) items.add(random() < 0.85 ? topic[pick(topic.length)]! : pick(products));
      plans.push({ at: START + pick(days * 24) * 3_600_000, customer: `customer-${c}`, items: [...items].map(productId) });
    }
  }
  for (let g = 0; g < customers; g++) {
    const topic = ofTopic(g % TOPICS.length);
    plans.push({ at: START + pick(days * 24) * 3_600_000, customer: null, items: [topic[pick(topic.length)]!, topic[pick(topic.length)]!].map(productId) });
  }
  plans.sort((a, b) => a.at - b.at);
  for (const plan of plans) {
    await upsertOrder(db, order(shop, ++n, new Date(plan.at), plan.customer, plan.items));
    lineItems += plan.items.length;
  }
  return { orders: n, lineItems, products };
}

export { DAY_MS, START };
