import fc from 'fast-check';
import { visitorIdentity } from '../../app/proxy/events/visitor-identity';
import { customerPseudonym } from '../../shared/crypto';
import { testRuntime } from '../support/runtime';
import { drainEvents, storedEvents } from '../support/storefront-event-store';
import { eventId, mintToken, postEvents, startEventsApp, type TestClock } from '../support/storefront-events';
import { findTraces } from './support/find-traces';

const KEY = 'test-customer-id-key-0123456789';
const visitorIds = fc.stringMatching(/^[0-9A-Za-z_-]{8,64}$/);

describe('analytics consent gate (visitorIdentity)', () => {
  it('without consent: no visitor or customer key, and the rate-limit subject is the hashed address only', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}\.myshopify\.com$/),
        fc.option(visitorIds, { nil: undefined }),
        fc.option(fc.stringMatching(/^[1-9][0-9]{0,14}$/), { nil: null }),
        fc.constantFrom(undefined, { analytics: false }),
        fc.ipV4(),
        (shop, visitorId, customerId, consent, address) => {
          const identity = visitorIdentity({ customerIdKey: KEY, shop, body: { consent, visitor_id: visitorId, events: [] } as never, loggedInCustomerId: customerId, clientAddress: address });
          expect(identity).toMatchObject({ consent: false, visitorKey: null, customerKey: null, address: null });
          expect(identity.subject).toBe(`a.${customerPseudonym(KEY, shop, `address:${address}`)}`);
          if (visitorId) expect(identity.subject).not.toContain(customerPseudonym(KEY, shop, `visitor:${visitorId}`));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with consent: the per-shop pseudonyms, never the raw ids', () => {
    fc.assert(
      fc.property(visitorIds, fc.stringMatching(/^[1-9][0-9]{3,14}$/), (visitorId, customerId) => {
        const identity = visitorIdentity({ customerIdKey: KEY, shop: 'c.myshopify.com', body: { consent: { analytics: true }, visitor_id: visitorId, events: [] } as never, loggedInCustomerId: customerId, clientAddress: '10.0.0.1' });
        expect(identity.visitorKey).toBe(customerPseudonym(KEY, 'c.myshopify.com', `visitor:${visitorId}`));
        expect(identity.customerKey).toBe(customerPseudonym(KEY, 'c.myshopify.com', customerId));
        expect(JSON.stringify(identity)).not.toContain(visitorId);
      }),
      { numRuns: 200 },
    );
  });
});

describe('events without analytics consent → stream → database (PostgreSQL, real Redis)', () => {
  const SHOP = 'consent.myshopify.com';
  const clock: TestClock = { ms: Date.UTC(2026, 10, 28, 9) };
  let rt: Awaited<ReturnType<typeof testRuntime>>;
  let app: Awaited<ReturnType<typeof startEventsApp>>;
  beforeAll(async () => {
    rt = await testRuntime({ backend: 'postgres' });
    app = await startEventsApp(rt, clock);
  });
  afterAll(async () => {
    await app.close();
    await rt.close();
  });

  let impressions = 0;
  const send = (consent: unknown, visitorId: string, customerId: string) =>
    postEvents(app.url, {
      shop: SHOP,
      clock,
      loggedInCustomerId: customerId,
      clientAddress: '203.0.113.7',
      body: { ...(consent === undefined ? {} : { consent }), visitor_id: visitorId, events: ['impression', 'click', 'add_to_cart'].map((type) => ({ id: eventId(), type, token: mintToken(app.tokenKey, SHOP, clock, { productId: '77', impressionId: `imp-${++impressions}` }), at: clock.ms })) },
    });
  const identities = (visitorId: string, customerId: string) => [visitorId, customerId, customerPseudonym(rt.config.customerIdKey, SHOP, `visitor:${visitorId}`), customerPseudonym(rt.config.customerIdKey, SHOP, customerId)];
  const stores = () => ({ db: rt.db, redis: rt.redis, prefix: rt.config.queuePrefix });

  it('carries no visitor or customer id into the stream or any table; with consent the same search finds them', async () => {
    for (const [consent, visitorId, customerId] of [[undefined, 'noConsentVisitorA', '880001'], [{ analytics: false }, 'noConsentVisitorB', '880002']] as const) {
      expect((await send(consent, visitorId, customerId)).body).toMatchObject({ accepted: 3 });
      // In the stream before the worker reads it, then in the database after.
      expect(await findTraces(stores(), identities(visitorId, customerId))).toEqual([]);
    }
    await drainEvents(rt);
    expect((await storedEvents(rt.db)).events).toEqual([]);
    expect((await storedEvents(rt.db)).counts.reduce((sum, c) => sum + c.count, 0)).toBe(6);
    expect(await findTraces(stores(), [...identities('noConsentVisitorA', '880001'), ...identities('noConsentVisitorB', '880002')])).toEqual([]);

    expect((await send({ analytics: true }, 'consentingVisitorC', '880003')).body).toMatchObject({ accepted: 3 });
    await drainEvents(rt);
    const found = await findTraces(stores(), identities('consentingVisitorC', '880003'));
    expect(new Set(found.filter((t) => t.store === 'database').map((t) => t.where))).toEqual(new Set(['storefront_events']));
    // Only pseudonyms are stored, never the raw ids.
    expect(found.map((t) => t.needle)).not.toContain('consentingVisitorC');
    expect(found.map((t) => t.needle)).not.toContain('880003');
  });
});
