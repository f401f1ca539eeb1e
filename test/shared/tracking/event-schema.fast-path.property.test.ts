import fc from 'fast-check';
import { parseStorefrontEvent, parseStorefrontEventsBody, storefrontEvent, storefrontEventsBody } from '../../../shared/tracking';

/** Values near every edge of the schema, of the right type or not. */
const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -0, -1, 1, 1.5, 1000, 1001, 8.64e15, 8.64e15 + 2, 9e15, Number.NaN, Infinity, 1_764_300_000_000),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 70 }),
  fc.stringMatching(/^[0-9A-Za-z_-]{6,66}$/),
  fc.stringMatching(/^\d{0,22}$/),
  fc.constantFrom('impression', 'click', 'add_to_cart', 'purchase', 'x'.repeat(300), 'x'.repeat(301), ''),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.record({ analytics: fc.oneof(fc.boolean(), fc.constant('yes')) }, { requiredKeys: [] }),
  fc.array(fc.integer(), { minLength: 49, maxLength: 52 }),
);
const ABSENT = Symbol('absent');

/** Values at and beyond the edges of each field, of the right type or not. */
const EDGES: Record<string, unknown[]> = {
  id: ['a'.repeat(7), 'a'.repeat(8), 'a'.repeat(64), 'a'.repeat(65), 'abc def ghi', 12345678],
  visitor_id: ['a'.repeat(7), 'a'.repeat(8), 'a'.repeat(64), 'a'.repeat(65), 'abc def ghi', 12345678],
  type: ['impression', 'click', 'add_to_cart', 'purchase', 'Click'],
  token: ['', 'x', 'x'.repeat(300), 'x'.repeat(301), 7],
  at: [-1, 0, -0, 1.5, 8.64e15, 8.64e15 + 2, 9e15, Number.NaN, Infinity, '1764300000000'],
  variant_id: ['', '1', '1'.repeat(20), '1'.repeat(21), 'a1', 4001],
  quantity: [0, 1, 1000, 1001, 1.5, -1, '1'],
  consent: [{}, { analytics: 'yes' }, { analytics: true, extra: 1 }, { analytics: false }, [], 'yes'],
  events: [[], [1], Array.from({ length: 50 }, (_, i) => i), Array.from({ length: 51 }, (_, i) => i), 'events', {}],
};

/** A value that passes the schema, with up to two of its fields replaced by edge values, any values or removed. */
function nearlyValid(valid: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(valid);
  const change = fc.constantFrom(...names).chain((name) =>
    fc.tuple(fc.constant(name), fc.oneof(fc.constantFrom(...(EDGES[name] ?? [null])), anyValue, fc.constant(ABSENT))),
  );
  return fc.tuple(fc.record(valid, { requiredKeys: [] }), fc.array(change, { maxLength: 2 })).map(([record, changes]) => {
    const value: Record<string, unknown> = { ...record };
    for (const [name, to] of changes) {
      if (to === ABSENT) delete value[name];
      else value[name] = to;
    }
    return value;
  });
}

const eventArb = fc.oneof(
  nearlyValid({
    id: fc.stringMatching(/^[0-9A-Za-z_-]{8,64}$/),
    type: fc.constantFrom('impression', 'click'),
    token: fc.string({ minLength: 1, maxLength: 300 }),
    at: fc.integer({ min: 0, max: 8.64e15 }),
    extra: fc.string(),
  }),
  nearlyValid({
    id: fc.stringMatching(/^[0-9A-Za-z_-]{8,64}$/),
    type: fc.constant('add_to_cart'),
    token: fc.string({ minLength: 1, maxLength: 300 }),
    at: fc.integer({ min: 0, max: 8.64e15 }),
    variant_id: fc.stringMatching(/^\d{1,20}$/),
    quantity: fc.integer({ min: 1, max: 1000 }),
  }),
);

const bodyArb = nearlyValid({
  consent: fc.record({ analytics: fc.boolean() }),
  visitor_id: fc.stringMatching(/^[0-9A-Za-z_-]{8,64}$/),
  events: fc.array(fc.anything(), { minLength: 1, maxLength: 50 }),
  other: fc.string(),
});

/** What a caller can see of a parse: the outcome, the data with its key order, or the schema's issues. */
function seen(result: { success: boolean; data?: unknown; error?: { issues: unknown } }) {
  return result.success ? { ok: true, json: JSON.stringify(result.data), keys: Object.keys(result.data as object) } : { ok: false, issues: result.error!.issues };
}

describe('storefront event fast paths', () => {
  it('an event: the same outcome, data (key order included) and issues as the schema', () => {
    fc.assert(
      fc.property(fc.oneof(eventArb, anyValue), (raw) => {
        expect(seen(parseStorefrontEvent(raw))).toEqual(seen(storefrontEvent.safeParse(raw)));
      }),
      { numRuns: 5000 },
    );
  });

  it('a body: the same outcome, data (key order included) and issues as the schema', () => {
    fc.assert(
      fc.property(fc.oneof(bodyArb, anyValue), (raw) => {
        expect(seen(parseStorefrontEventsBody(raw))).toEqual(seen(storefrontEventsBody.safeParse(raw)));
      }),
      { numRuns: 3000 },
    );
  });

  it('a body: the events are a copy of the array sent, element for element', () => {
    const events = [{ id: 'a' }, 2];
    const parsed = parseStorefrontEventsBody({ events });
    expect(parsed.success && parsed.data.events).toEqual(events);
    expect(parsed.success && parsed.data.events).not.toBe(events);
  });
});
