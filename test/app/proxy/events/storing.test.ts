import { customerPseudonym } from '../../../../shared/crypto';
import { createRedis } from '../../../../shared/redis';
import { decodeStreamEntry, storefrontEventKey, storefrontEventStreamKey, STOREFRONT_EVENTS_GROUP } from '../../../../shared/tracking';
import { writeEventBatch } from '../../../../worker/events';
import { BACKENDS } from '../../../support/databases';
import { testRuntime } from '../../../support/runtime';
import { drainEvents, storedEvents, streamLength } from '../../../support/storefront-event-store';
import { eventId, mintToken, postEvents, startEventsApp, type TestClock } from '../../../support/storefront-events';

const SHOP = 'events.myshopify.com';
// 2026-11-28T02:00:00Z
const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);

describe.each(BACKENDS)('POST /proxy/events → stream → events consumer → %s', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let app: Awaited<ReturnType<typeof startEventsApp>>;
  const clock: TestClock = { ms: T0 };

  beforeEach(async () => {
    clock.ms = T0;
    runtime = await testRuntime({ backend });
    app = await startEventsApp(runtime, clock);
  });
  afterEach(async () => {
    await app.close();
    await runtime.close();
  });

  const token = (overrides: Parameters<typeof mintToken>[3] = {}) => mintToken(app.tokenKey, SHOP, clock, overrides);
  const post = (body: unknown, extra: Partial<Parameters<typeof postEvents>[1]> = {}) => postEvents(app.url, { shop: SHOP, clock, body, ...extra });

  it('stores accepted events with consent: receipts, daily counts and one pseudonymous row each', async () => {
    const ids = [eventId(), eventId(), eventId()];
    const t = token({ productId: '7001', position: 1, modelVersion: '42' });
    const res = await post(
      {
        consent: { analytics: true },
        visitor_id: 'v8Kd93jdk2LdQ0',
        events: [
          { id: ids[0], type: 'impression', token: t, at: T0 - 4000 },
          { id: ids[1], type: 'click', token: t, at: T0 - 2000 },
          { id: ids[2], type: 'add_to_cart', token: t, at: T0 - 1000, variant_id: '4001', quantity: 2 },
        ],
      },
      { loggedInCustomerId: '9001' },
    );
    expect(res).toEqual({ status: 200, body: { accepted: 3, duplicates: 0, rejected: [] } });
    expect(await streamLength(runtime)).toBe(3);

    const handled = await drainEvents(runtime);
    expect(handled).toMatchObject({ acked: 3, stored: 3, duplicates: 0, deadLettered: 0 });
    const stored = await storedEvents(runtime.db);
    expect(stored.receipts.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(stored.counts).toEqual(
      ['add_to_cart', 'click', 'impression'].map((type) => ({ shop: SHOP, day: '2026-11-28', placement: 'fbt', type, product_id: '7001', model_version: '42', sponsored: false, count: 1 })),
    );
    expect(stored.events).toHaveLength(3);
    const visitorKey = customerPseudonym(runtime.config.customerIdKey, SHOP, 'visitor:v8Kd93jdk2LdQ0');
    const customerKey = customerPseudonym(runtime.config.customerIdKey, SHOP, '9001');
    for (const row of stored.events) {
      expect(row).toMatchObject({ shop: SHOP, visitor_key: visitorKey, customer_key: customerKey, impression_id: 'imp1', placement: 'fbt', product_id: '7001', position: 1, model_version: '42', sponsored: false, token: t });
    }
    expect(stored.events.find((e) => e.id === ids[2])).toMatchObject({ variant_id: '4001', quantity: 2 });
    expect(stored.events.find((e) => e.id === ids[0])).toMatchObject({ variant_id: null, quantity: null });
    const click = stored.events.find((e) => e.id === ids[1]);
    expect(new Date(click!.occurred_at).getTime()).toBe(T0 - 2000);
    expect(new Date(click!.received_at).getTime()).toBe(T0);
    // The raw ids never reach the database.
    expect(JSON.stringify(stored)).not.toMatch(/v8Kd93jdk2LdQ0|"9001"/);
  });

  it('without consent: counts only, and nothing that identifies the visitor anywhere', async () => {
    const ids = [eventId(), eventId()];
    const res = await post(
      {
        consent: { analytics: false },
        visitor_id: 'noConsentVisitor1',
        events: [
          { id: ids[0], type: 'impression', token: token({ placement: 'cart', productId: '55', modelVersion: null, sponsored: true }), at: T0 },
          { id: ids[1], type: 'click', token: token({ placement: 'cart', productId: '55', modelVersion: null, sponsored: true }), at: T0 },
        ],
      },
      { loggedInCustomerId: '9002' },
    );
    expect(res.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });

    // Not in the stream either: the entries carry no visitor or customer key.
    const entries = await runtime.redis.xrange(storefrontEventStreamKey(runtime.config.queuePrefix), '-', '+');
    for (const [, fields] of entries) {
      const decoded = decodeStreamEntry(fields);
      expect(decoded).toMatchObject({ ok: true, entry: { consent: false, visitor_key: null, customer_key: null } });
    }
    const visitorKey = customerPseudonym(runtime.config.customerIdKey, SHOP, 'visitor:noConsentVisitor1');
    const customerKey = customerPseudonym(runtime.config.customerIdKey, SHOP, '9002');
    const everyKey = (await runtime.redis.keys(`${runtime.config.queuePrefix}:*`)).join('\n');
    expect(everyKey).not.toContain(visitorKey);
    expect(everyKey).not.toContain('noConsentVisitor1');

    await drainEvents(runtime);
    const stored = await storedEvents(runtime.db);
    expect(stored.receipts).toHaveLength(2);
    expect(stored.events).toEqual([]);
    expect(stored.counts).toEqual([
      { shop: SHOP, day: '2026-11-28', placement: 'cart', type: 'click', product_id: '55', model_version: '', sponsored: true, count: 1 },
      { shop: SHOP, day: '2026-11-28', placement: 'cart', type: 'impression', product_id: '55', model_version: '', sponsored: true, count: 1 },
    ]);
    const dump = JSON.stringify(stored);
    for (const secret of [visitorKey, customerKey, 'noConsentVisitor1', '9002']) expect(dump).not.toContain(secret);
  });

  it('counts a repeated event id once: within a request, across requests, and when the web dedupe is gone', async () => {
    const id = eventId();
    const event = { id, type: 'impression', token: token(), at: T0 };
    expect((await post({ events: [event, event] })).body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect((await post({ events: [event] })).body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect(await streamLength(runtime)).toBe(1);
    await drainEvents(runtime);

    // The web process forgot the id (its key expired, Redis restarted): the receipt still holds.
    await runtime.redis.del(storefrontEventKey(runtime.config.queuePrefix, 'seen', SHOP, id));
    expect((await post({ events: [event] })).body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await drainEvents(runtime)).toMatchObject({ acked: 1, stored: 0, duplicates: 1 });

    const stored = await storedEvents(runtime.db);
    expect(stored.receipts).toEqual([{ shop: SHOP, id }]);
    expect(stored.counts.map((c) => c.count)).toEqual([1]);
    // The same id in another shop is another event.
    const other = 'other-shop.myshopify.com';
    const res = await postEvents(app.url, { shop: other, clock, body: { events: [{ ...event, token: mintToken(app.tokenKey, other, clock) }] } });
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('redelivers what a crashed consumer read but never acknowledged, without double counting', async () => {
    const ids = [eventId(), eventId(), eventId(), eventId()];
    const t = token();
    await post({ consent: { analytics: true }, visitor_id: 'redeliverVisitor', events: ids.map((id, i) => ({ id, type: i === 0 ? 'impression' : 'click', token: t, at: T0 + i })) });

    // A consumer reads the entries, writes them to the database, and dies before XACK.
    const stream = storefrontEventStreamKey(runtime.config.queuePrefix);
    const crashed = createRedis(runtime.config.redisUrl, { name: 'crashed-consumer' });
    try {
      await crashed.xgroup('CREATE', stream, STOREFRONT_EVENTS_GROUP, '0', 'MKSTREAM');
      const read = (await crashed.xreadgroup('GROUP', STOREFRONT_EVENTS_GROUP, 'crashed', 'COUNT', 2, 'STREAMS', stream, '>')) as Array<[string, Array<[string, string[]]>]>;
      const firstTwo = read[0]![1].map(([, fields]) => decodeStreamEntry(fields)).map((d) => (d.ok ? d.entry : null)!);
      expect(firstTwo).toHaveLength(2);
      await writeEventBatch(runtime.db, firstTwo);
      // …and a second one that read the other two and died before writing anything.
      await crashed.xreadgroup('GROUP', STOREFRONT_EVENTS_GROUP, 'crashed-too', 'COUNT', 10, 'STREAMS', stream, '>');
    } finally {
      crashed.disconnect();
    }
    expect(Number(((await runtime.redis.xpending(stream, STOREFRONT_EVENTS_GROUP)) as [number])[0])).toBe(4);

    // Nothing new to read; a consumer that waits long enough claims the four stale entries.
    expect(await drainEvents(runtime, { claimIdleMs: 60_000 })).toMatchObject({ acked: 0 });
    await new Promise((r) => setTimeout(r, 30));
    expect(await drainEvents(runtime, { claimIdleMs: 20 })).toMatchObject({ acked: 4, stored: 2, duplicates: 2 });
    expect(Number(((await runtime.redis.xpending(stream, STOREFRONT_EVENTS_GROUP)) as [number])[0])).toBe(0);

    const stored = await storedEvents(runtime.db);
    expect(stored.receipts).toHaveLength(4);
    expect(stored.events).toHaveLength(4);
    expect(stored.counts.map((c) => [c.type, c.count])).toEqual([
      ['click', 3],
      ['impression', 1],
    ]);
  });

  it('rejects bad events with their reasons and stores the good ones whole', async () => {
    const good = [eventId(), eventId()];
    const events = [
      { id: good[0], type: 'click', token: token({ productId: '1' }), at: T0 },
      { id: 'bad-type-0001', type: 'purchase', token: token(), at: T0 },
      { id: 'other-shop-01', type: 'click', token: mintToken(app.tokenKey, 'elsewhere.myshopify.com', clock), at: T0 },
      { id: 'expired-0001', type: 'click', token: token({ issuedAt: Math.floor(T0 / 1000) - runtime.config.storefront.eventMaxAgeSeconds - 1 }), at: T0 },
      { id: 'garbled-0001', type: 'click', token: 'not-a-token', at: T0 },
      { id: 'future-00001', type: 'click', token: token({ issuedAt: Math.floor(T0 / 1000) + 3600 }), at: T0 },
      { id: 'click-qty-001', type: 'click', token: token(), at: T0, quantity: 3 },
      42,
      { id: good[1], type: 'add_to_cart', token: token({ productId: '2' }), at: T0, variant_id: '4002', quantity: 1 },
    ];
    const res = await post({ events });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        { index: 1, id: 'bad-type-0001', reason: 'invalid_event' },
        { index: 2, id: 'other-shop-01', reason: 'token_invalid_signature' },
        { index: 3, id: 'expired-0001', reason: 'token_expired' },
        { index: 4, id: 'garbled-0001', reason: 'token_malformed' },
        { index: 5, id: 'future-00001', reason: 'token_from_the_future' },
        { index: 6, id: 'click-qty-001', reason: 'invalid_event' },
        { index: 7, reason: 'invalid_event' },
      ],
    });
    await drainEvents(runtime);
    const stored = await storedEvents(runtime.db);
    expect(stored.receipts.map((r) => r.id).sort()).toEqual([...good].sort());
    expect(stored.counts.map((c) => [c.type, c.product_id])).toEqual([
      ['add_to_cart', '2'],
      ['click', '1'],
    ]);
  });

  it('accepts a sendBeacon body (text/plain) and dates an implausible shopper clock by receipt', async () => {
    const id = eventId();
    const res = await post(JSON.stringify({ consent: { analytics: true }, events: [{ id, type: 'impression', token: token(), at: T0 + 86_400_000 }] }), { contentType: 'text/plain;charset=UTF-8' });
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    await drainEvents(runtime);
    const [row] = (await storedEvents(runtime.db)).events;
    expect(new Date(row!.occurred_at).getTime()).toBe(T0);
    expect(row!.visitor_key).toBeNull();
  });
});
