import type { StorefrontEventEntry } from '../../../shared/tracking';
import { dailyCounts } from '../../../worker/events';

const base: StorefrontEventEntry = {
  v: 1,
  shop: 'counts.myshopify.com',
  id: 'event-0001',
  type: 'click',
  occurred_at: Date.UTC(2026, 10, 27, 23, 59, 59, 999),
  received_at: Date.UTC(2026, 10, 28, 0, 0, 1),
  consent: false,
  visitor_key: null,
  customer_key: null,
  impression_id: 'imp',
  placement: 'for_you',
  product_id: '1',
  position: 0,
  model_version: null,
  sponsored: false,
  token: 't',
};

describe('dailyCounts', () => {
  it('sums by UTC day of the event, placement, type, product, model version and sponsorship', () => {
    const rows = dailyCounts([
      base,
      { ...base, id: 'event-0002' },
      { ...base, id: 'event-0003', occurred_at: Date.UTC(2026, 10, 28, 0, 0, 0) },
      { ...base, id: 'event-0004', model_version: '7' },
      { ...base, id: 'event-0005', sponsored: true },
      { ...base, id: 'event-0006', shop: 'other.myshopify.com' },
    ]);
    expect(rows).toEqual([
      { shop: 'counts.myshopify.com', day: '2026-11-27', placement: 'for_you', type: 'click', product_id: '1', model_version: '', sponsored: false, count: 2 },
      { shop: 'counts.myshopify.com', day: '2026-11-28', placement: 'for_you', type: 'click', product_id: '1', model_version: '', sponsored: false, count: 1 },
      { shop: 'counts.myshopify.com', day: '2026-11-27', placement: 'for_you', type: 'click', product_id: '1', model_version: '7', sponsored: false, count: 1 },
      { shop: 'counts.myshopify.com', day: '2026-11-27', placement: 'for_you', type: 'click', product_id: '1', model_version: '', sponsored: true, count: 1 },
      { shop: 'other.myshopify.com', day: '2026-11-27', placement: 'for_you', type: 'click', product_id: '1', model_version: '', sponsored: false, count: 1 },
    ]);
  });
});
