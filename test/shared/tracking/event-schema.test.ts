import { storefrontEvent, storefrontEventsBody, MAX_EVENTS_PER_REQUEST } from '../../../shared/tracking';

const good = { id: '0f8b1e2c-4d5e-4f60-8a7b-9c0d1e2f3a4b', type: 'click', token: '1.f0.0.7001.abc.imp..AAAA', at: 1_764_300_004_000 };

describe('storefront event schema', () => {
  it('accepts the contract’s three event types', () => {
    expect(storefrontEvent.safeParse({ ...good, type: 'impression' }).success).toBe(true);
    expect(storefrontEvent.safeParse(good).success).toBe(true);
    expect(storefrontEvent.safeParse({ ...good, type: 'add_to_cart', variant_id: '4001', quantity: 1 }).success).toBe(true);
  });

  it.each([
    ['an unknown type', { ...good, type: 'purchase' }],
    ['a short id', { ...good, id: 'abc' }],
    ['an id with other characters', { ...good, id: 'abc def ghi' }],
    ['no token', { ...good, token: '' }],
    ['a fractional time', { ...good, at: 1.5 }],
    ['a time no Date can hold', { ...good, at: 9e15 }],
    ['a negative time', { ...good, at: -1 }],
    ['a variant on a click', { ...good, variant_id: '4001' }],
    ['a quantity on an impression', { ...good, type: 'impression', quantity: 2 }],
    ['a zero quantity', { ...good, type: 'add_to_cart', quantity: 0 }],
    ['a non-numeric variant', { ...good, type: 'add_to_cart', variant_id: 'gid://shopify/ProductVariant/1' }],
    ['not an object', 'click'],
  ])('rejects %s', (_what, event) => {
    expect(storefrontEvent.safeParse(event).success).toBe(false);
  });

  it('body: one to MAX_EVENTS_PER_REQUEST events, consent and visitor id optional', () => {
    expect(storefrontEventsBody.safeParse({ events: [good] }).success).toBe(true);
    expect(storefrontEventsBody.safeParse({ consent: { analytics: true }, visitor_id: 'v8Kd93jdk2LdQ0', events: [good] }).success).toBe(true);
    expect(storefrontEventsBody.safeParse({ events: [] }).success).toBe(false);
    expect(storefrontEventsBody.safeParse({ events: Array(MAX_EVENTS_PER_REQUEST + 1).fill(good) }).success).toBe(false);
    expect(storefrontEventsBody.safeParse({ events: [good], visitor_id: 'x' }).success).toBe(false);
    expect(storefrontEventsBody.safeParse({ events: [good], consent: { analytics: 'yes' } }).success).toBe(false);
    // Events are checked one by one later: the body accepts any element.
    expect(storefrontEventsBody.safeParse({ events: [42, good] }).success).toBe(true);
  });
});
