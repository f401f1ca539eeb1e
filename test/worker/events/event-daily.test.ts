import fc from 'fast-check';
import { eventDaily, type DailyCount } from '../../../worker/events';

const count = fc.record({
  shop: fc.constantFrom('a.myshopify.com', 'b.myshopify.com'),
  day: fc.constantFrom('2026-11-27', '2026-11-28'),
  placement: fc.constantFrom('for_you', 'related'),
  type: fc.constantFrom('impression' as const, 'click' as const, 'add_to_cart' as const),
  product_id: fc.constantFrom('1', '2', '3'),
  model_version: fc.constantFrom('', '7'),
  sponsored: fc.boolean(),
  count: fc.integer({ min: 1, max: 1000 }),
});

describe('eventDaily', () => {
  it('folds counts over product and type: one row per (shop, day, placement, model, sponsored) holding the sums of its counts', () => {
    fc.assert(
      fc.property(fc.array(count, { maxLength: 60 }), (counts: DailyCount[]) => {
        const rows = eventDaily(counts);
        const keyOf = (r: { shop: string; day: string; placement: string; model_version: string; sponsored: boolean }) =>
          [r.shop, r.day, r.placement, r.model_version, r.sponsored].join('|');
        expect(new Set(rows.map(keyOf)).size).toBe(rows.length);
        for (const r of rows) {
          const mine = counts.filter((c) => keyOf(c) === keyOf(r));
          const sum = (type: DailyCount['type']) => mine.filter((c) => c.type === type).reduce((s, c) => s + c.count, 0);
          expect([r.impressions, r.clicks, r.add_to_carts]).toEqual([sum('impression'), sum('click'), sum('add_to_cart')]);
        }
        expect(rows.length).toBe(new Set(counts.map(keyOf)).size);
      }),
    );
  });
});
