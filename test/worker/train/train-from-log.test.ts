import { PurchaseLogBuilder, seededRandom, type PurchaseLog } from '../../../worker/recommend/evaluation';
import type { CatalogProduct } from '../../../worker/recommend/placements';
import { trainFromLog } from '../../../worker/train';

const DAY = 86_400;
const START = Date.UTC(2026, 0, 1) / 1000;

/** 30 customers over 120 days, each keen on one of three groups of 8 products; 2 products nobody buys. */
function storeLog(): { log: PurchaseLog; products: CatalogProduct[] } {
  const random = seededRandom(3);
  const pick = (n: number) => Math.floor(random() * n);
  const products: CatalogProduct[] = Array.from({ length: 26 }, (_, i) => ({ code: `p${i}`, text: `group ${i % 3} thing ${i}` }));
  const rows: Array<{ invoice: string; stockCode: string; customerId: string | null; time: number }> = [];
  let invoice = 0;
  for (let c = 0; c < 30; c++) {
    for (let k = 0; k < 8; k++) {
      const time = START + pick(120 * 24) * 3600;
      const id = `o${++invoice}`;
      for (let j = 0; j < 3; j++) rows.push({ invoice: id, stockCode: `p${(c % 3) + 3 * pick(8)}`, customerId: `c${c}`, time });
    }
  }
  rows.sort((a, b) => a.time - b.time);
  const builder = new PurchaseLogBuilder();
  for (const r of rows) builder.add({ ...r, description: '' });
  return { log: builder.build(), products };
}

describe('trainFromLog (the pure core)', () => {
  it('judges each placement beside its baselines, refits on everything and returns structured-cloneable lists', async () => {
    const { log, products } = storeLog();
    const result = await trainFromLog({ log, products, listLength: 5 });
    expect(result.status).toBe('trained');
    if (result.status !== 'trained') return;
    expect(structuredClone(result)).toEqual(result);
    expect(Object.keys(result.metrics).sort()).toEqual(['cart', 'for_you', 'product']);
    expect(Object.keys(result.metrics.for_you).sort()).toEqual(expect.arrayContaining(['next-30d-all', 'next-30d-new']));
    for (const protocols of Object.values(result.metrics)) {
      for (const models of Object.values(protocols)) expect(Object.keys(models)).toEqual(expect.arrayContaining(['blend', 'popularity']));
    }
    expect(result.counts).toMatchObject({ orders: 240, customers: 30, items: 24, products: 26 });
    expect(result.counts.testUsers).toBeGreaterThan(0);
    // The final fit sees everything: every customer has a list, every bought product two.
    expect(Object.keys(result.lists.for_you)).toHaveLength(30);
    expect(result.vocabulary).toHaveLength(24);
    for (const code of result.vocabulary) {
      expect(result.lists.product[code]).toHaveLength(5);
      expect(result.lists.product[code]).not.toContain(code);
      expect(result.lists.cart[code]).not.toContain(code);
    }
    // Only store products get lists; a list only names store products.
    const codes = new Set(products.map((p) => p.code));
    for (const placement of ['product', 'cart'] as const) {
      for (const [key, list] of Object.entries(result.lists[placement])) {
        expect(codes.has(key)).toBe(true);
        for (const code of list) expect(codes.has(code)).toBe(true);
      }
    }
    expect(result.lists.trending).toHaveLength(5);
    // All-time best sellers (not cut to the list length) and every customer's latest purchases.
    expect(result.lists.popular).toHaveLength(24);
    expect(Object.keys(result.lists.history ?? {})).toHaveLength(30);
    for (const bought of Object.values(result.lists.history ?? {})) expect(bought.length).toBe(5);
    expect(result.choices.for_you.weights).toBeDefined();
  });

  it('returns not_enough_data with the counts and the trending fallback when the data is below the thresholds', async () => {
    const { log, products } = storeLog();
    const result = await trainFromLog({ log, products, thresholds: { minOrders: 1000 } });
    expect(result.status).toBe('not_enough_data');
    if (result.status !== 'not_enough_data') return;
    expect(result.reasons).toEqual(['240 orders, fewer than 1000']);
    expect(result.counts).toMatchObject({ orders: 240, customers: 30 });
    expect(result.lists.for_you).toEqual({});
    // No model, but the facts still serve: best sellers and purchase histories.
    expect(result.lists.popular).toHaveLength(24);
    expect(Object.keys(result.lists.history ?? {})).toHaveLength(30);
    expect(result.lists.trending).toHaveLength(20);
    expect(new Set(result.lists.trending).size).toBe(20);
  });

  it('treats an empty store as not_enough_data, listing its products as the fallback', async () => {
    const products = [{ code: 'a', text: 'a thing' }, { code: 'b', text: 'b thing' }];
    const result = await trainFromLog({ log: new PurchaseLogBuilder().build(), products });
    expect(result).toMatchObject({ status: 'not_enough_data', counts: { rows: 0, orders: 0, from: null, to: null, testUsers: 0 }, lists: { trending: ['a', 'b'] } });
  });

  it('needs test users: a store whose customers all stopped buying a month ago is not_enough_data', async () => {
    const builder = new PurchaseLogBuilder();
    for (let c = 0; c < 40; c++) for (let k = 0; k < 3; k++) builder.add({ invoice: `o${c}-${k}`, stockCode: `p${(c + k) % 12}`, customerId: `c${c}`, time: START + (c + k) * DAY, description: '' });
    // One guest order on the last day: the test window has no customer in it.
    builder.add({ invoice: 'guest', stockCode: 'p1', customerId: null, time: START + 200 * DAY, description: '' });
    const result = await trainFromLog({ log: builder.build(), products: [] });
    expect(result.status).toBe('not_enough_data');
    if (result.status !== 'not_enough_data') return;
    expect(result.counts.testUsers).toBe(0);
    expect(result.reasons.some((r) => /0 test users/.test(r))).toBe(true);
  });
});
