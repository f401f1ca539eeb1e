import fc from 'fast-check';
import { customerId, eventId, lineItemId, orderId, shopperAddress, visitorId, webhookIds } from '../../../../shared/dev/shopper-sessions/simulated-ids';

const TOKEN_ID = /^[0-9A-Za-z_-]{8,64}$/;

describe('simulated ids', () => {
  it('repeat for the same seed and visitor, and have the shapes the app accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.nat({ max: 1_000_000 }), (seed, visitor) => {
        expect(visitorId(seed, visitor)).toBe(visitorId(seed, visitor));
        expect(visitorId(seed, visitor)).toMatch(TOKEN_ID);
        expect(eventId(seed, visitor, 2, 3)).toMatch(TOKEN_ID);
        for (const id of [customerId(seed, visitor), orderId(seed, visitor), lineItemId(seed, visitor, 1)]) {
          expect(Number.isSafeInteger(id)).toBe(true);
          expect(String(id)).toMatch(/^\d{16}$/);
        }
        expect(webhookIds('orders/create', seed, `order:${visitor}`)).toEqual(webhookIds('orders/create', seed, `order:${visitor}`));
      }),
    );
  });

  it('differ between visitors, seeds and kinds', () => {
    const ids: string[] = [];
    for (const seed of [1, 2]) {
      for (let visitor = 0; visitor < 2_000; visitor++) {
        ids.push(visitorId(seed, visitor), String(orderId(seed, visitor)), String(customerId(seed, visitor)), eventId(seed, visitor, 0, 0));
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives each of 131,072 visitors its own address in 198.18.0.0/15', () => {
    const addresses = new Set<string>();
    const outside: string[] = [];
    for (let visitor = 0; visitor < 131_072; visitor++) {
      const address = shopperAddress(visitor);
      if (!/^198\.1[89]\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/.test(address)) outside.push(address);
      addresses.add(address);
    }
    expect(outside).toEqual([]);
    expect(addresses.size).toBe(131_072);
  });
});
