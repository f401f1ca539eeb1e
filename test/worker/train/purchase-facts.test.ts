import fc from 'fast-check';
import { PurchaseLogBuilder } from '../../../worker/recommend/evaluation';
import { popularProducts, purchaseHistories } from '../../../worker/train/purchase-facts';

const T = Date.UTC(2026, 0, 1) / 1000;

type Row = { invoice: string; stockCode: string; customerId: string | null; time: number };
const logOf = (rows: Row[]) => {
  const builder = new PurchaseLogBuilder();
  for (const r of rows) builder.add({ ...r, description: '' });
  return builder.build();
};

describe('popular products and purchase histories (published beside trending)', () => {
  it('ranks products by the orders that bought them, a product on two lines of one order counted once', () => {
    const log = logOf([
      { invoice: 'o1', stockCode: 'a', customerId: 'c1', time: T },
      { invoice: 'o1', stockCode: 'a', customerId: 'c1', time: T },
      { invoice: 'o1', stockCode: 'a', customerId: 'c1', time: T },
      { invoice: 'o2', stockCode: 'b', customerId: null, time: T + 1 },
      { invoice: 'o3', stockCode: 'b', customerId: 'c2', time: T + 2 },
      { invoice: 'o3', stockCode: 'c', customerId: 'c2', time: T + 2 },
      { invoice: 'o4', stockCode: 'c', customerId: 'c1', time: T + 3 },
      { invoice: 'o5', stockCode: 'd', customerId: 'c1', time: T + 4 },
    ]);
    // b and c: 2 orders each (b first in the log); a: 1 order (3 lines); d: 1.
    expect(popularProducts(log)).toEqual(['b', 'c', 'a', 'd']);
    expect(popularProducts(log, 2)).toEqual(['b', 'c']);
  });

  it('keeps each customer’s latest distinct purchases, newest first, at most five; guests have none', () => {
    const rows: Row[] = ['p1', 'p2', 'p3', 'p2', 'p4', 'p5', 'p6', 'p7'].map((code, i) => ({ invoice: `o${i}`, stockCode: code, customerId: 'c1', time: T + i * 60 }));
    rows.push({ invoice: 'g', stockCode: 'p9', customerId: null, time: T + 9_999 }, { invoice: 'x', stockCode: 'p1', customerId: 'c2', time: T });
    expect(purchaseHistories(logOf(rows))).toEqual({ c1: ['p7', 'p6', 'p5', 'p4', 'p2'], c2: ['p1'] });
  });

  it('property: a history is distinct, at most 5 long, only what the customer bought, and starts with their latest purchase', () => {
    const row = fc.record({ stockCode: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), customerId: fc.constantFrom('c1', 'c2', null), time: fc.integer({ min: 0, max: 1000 }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 60 }), (specs) => {
        // Distinct times so "latest" is well defined.
        const rows = specs.map((r, i) => ({ ...r, invoice: `o${i}`, time: T + r.time * 100 + i }));
        const histories = purchaseHistories(logOf(rows));
        for (const [customer, items] of Object.entries(histories)) {
          const bought = rows.filter((r) => r.customerId === customer);
          expect(new Set(items).size).toBe(items.length);
          expect(items.length).toBeLessThanOrEqual(5);
          expect(items.length).toBe(Math.min(5, new Set(bought.map((r) => r.stockCode)).size));
          const latest = bought.reduce((a, b) => (b.time > a.time ? b : a));
          expect(items[0]).toBe(latest.stockCode);
          for (const item of items) expect(bought.some((r) => r.stockCode === item)).toBe(true);
        }
        expect(Object.keys(histories).sort()).toEqual([...new Set(rows.map((r) => r.customerId).filter((c) => c !== null))].sort());
      }),
      { numRuns: 300 },
    );
  });
});
