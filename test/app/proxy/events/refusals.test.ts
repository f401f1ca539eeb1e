import { createRedis } from '../../../../shared/redis';
import { storefrontEventKey } from '../../../../shared/tracking';
import { BACKENDS } from '../../../support/databases';
import { testRuntime } from '../../../support/runtime';
import { drainEvents, storedEvents, streamLength } from '../../../support/storefront-event-store';
import { eventId, mintToken, postEvents, startEventsApp, type TestClock } from '../../../support/storefront-events';

const SHOP = 'refusals.myshopify.com';
const T0 = Date.UTC(2026, 10, 28, 3, 0, 5);
const RATE_LIMIT = 6;

describe.each(BACKENDS)('POST /proxy/events refusals (%s)', (backend) => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let app: Awaited<ReturnType<typeof startEventsApp>>;
  const clock: TestClock = { ms: T0 };

  beforeEach(async () => {
    clock.ms = T0;
    runtime = await testRuntime({ backend, config: { EVENTS_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) } });
    app = await startEventsApp(runtime, clock);
  });
  afterEach(async () => {
    await app.close();
    await runtime.close();
  });

  const token = (overrides: Parameters<typeof mintToken>[3] = {}) => mintToken(app.tokenKey, SHOP, clock, overrides);
  const post = (body: unknown, extra: Partial<Parameters<typeof postEvents>[1]> = {}) => postEvents(app.url, { shop: SHOP, clock, body, ...extra });
  // Each event on a token of its own (one product of one served list), unless told otherwise.
  const event = (type = 'impression', overrides: Record<string, unknown> = {}) => ({ id: eventId(), type, token: token({ impressionId: eventId() }), at: clock.ms, ...overrides });

  /** Nothing reached the stream or, after a consumer ran, the database. */
  async function expectNothingStored() {
    expect(await streamLength(runtime)).toBe(0);
    await drainEvents(runtime);
    expect(await storedEvents(runtime.db)).toEqual({ receipts: [], counts: [], events: [] });
  }

  it('answers 400 with a reason when the body is not JSON or not an events body', async () => {
    const cases: Array<[unknown, string | undefined, string]> = [
      ['{"events": [', undefined, 'body_not_json'],
      ['', undefined, 'body_not_json'],
      ['events=1', 'application/x-www-form-urlencoded', 'body_not_json'],
      [{ events: [] }, undefined, 'invalid_body'],
      [{ events: 'impression' }, undefined, 'invalid_body'],
      [{ events: Array.from({ length: 51 }, () => event()) }, undefined, 'invalid_body'],
      [{ consent: { analytics: true }, visitor_id: 'x', events: [event()] }, undefined, 'invalid_body'],
      [[event()], undefined, 'invalid_body'],
    ];
    for (const [body, contentType, reason] of cases) {
      const res = await post(body, { contentType });
      expect([res.status, res.body?.error, res.body?.reason]).toEqual([400, 'bad_request', reason]);
    }
    const tooLarge = await post({ events: [event('impression', { pad: 'x'.repeat(40_000) })] });
    expect(tooLarge.status).toBe(413);
    await expectNothingStored();
  });

  it('answers 401 to a forged or stale signature and writes nothing at all', async () => {
    const body = { consent: { analytics: true }, visitor_id: 'forgedVisitor1', events: [event('click')] };
    const forged = await post(body, { secret: 'not-the-app-secret' });
    expect(forged).toEqual({ status: 401, body: { error: 'unauthorized', reason: 'invalid_signature' } });
    const stale = await postEvents(app.url, { shop: SHOP, clock: { ms: clock.ms - 120_000 }, body });
    expect(stale).toEqual({ status: 401, body: { error: 'unauthorized', reason: 'stale_timestamp' } });
    expect(await runtime.redis.keys(storefrontEventKey(runtime.config.queuePrefix, '*'))).toEqual([]);
    await expectNothingStored();
  });

  it('answers a bot user agent 200 with every event rejected as bot, and stores nothing', async () => {
    const events = [event('impression'), event('click'), { id: 'broken-event-1' }];
    for (const userAgent of ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0.0.0', 'facebookexternalhit/1.1', 'Chrome-Lighthouse', '']) {
      const res = await post({ events }, { userAgent });
      expect(res).toEqual({
        status: 200,
        body: { accepted: 0, duplicates: 0, rejected: [0, 1, 2].map((index) => ({ index, id: events[index]!.id, reason: 'bot' })) },
      });
    }
    await expectNothingStored();
  });

  it('treats impossible behaviour as a bot: a burst of clicks, too many events on one token, too many clicks a minute', async () => {
    const burst = [0, 200, 400, 600].map((ms) => event('click', { at: clock.ms + ms }));
    expect((await post({ events: burst })).body).toMatchObject({ accepted: 0, rejected: burst.map((_, index) => ({ index, reason: 'bot' })) });

    // One token, spread over requests: the ninth event on it gives the sender away.
    const t = token({ productId: 'tok-test' });
    const spread = { consent: { analytics: true }, visitor_id: 'tokenHammerer' };
    // A minute apart, so the rate limit never speaks first.
    for (let i = 0; i < 8; i++) {
      clock.ms += 61_000;
      const res = await post({ ...spread, events: [event('add_to_cart', { token: t, at: clock.ms })] }, {});
      expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    }
    clock.ms += 61_000;
    expect((await post({ ...spread, events: [event('add_to_cart', { token: t, at: clock.ms })] })).body).toMatchObject({ accepted: 0, rejected: [{ index: 0, reason: 'bot' }] });
    // Flagged for a while: even a fresh, harmless event from the same visitor is refused.
    clock.ms += 1_000;
    expect((await post({ ...spread, events: [event('impression')] })).body).toMatchObject({ accepted: 0, rejected: [{ index: 0, reason: 'bot' }] });
    // Another visitor is unaffected.
    expect((await post({ consent: { analytics: true }, visitor_id: 'someoneElse1', events: [event('impression')] })).body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

    await drainEvents(runtime);
    const stored = await storedEvents(runtime.db);
    expect(stored.counts.map((c) => [c.type, c.product_id, c.count])).toEqual([
      ['add_to_cart', 'tok-test', 8],
      ['impression', '7001', 1],
    ]);
  });

  it('flags more clicks a minute than a person makes, across requests', async () => {
    // The rate limit is not what stops this visitor: raise it out of the way.
    await app.close();
    await runtime.close();
    runtime = await testRuntime({ backend, config: { EVENTS_RATE_LIMIT_PER_MINUTE: '1000' } });
    app = await startEventsApp(runtime, clock);
    const from = { clientAddress: '203.0.113.9' };
    let accepted = 0;
    let answer: Record<string, unknown> | null = null;
    for (let i = 0; i < 25; i++) {
      clock.ms += 1_500;
      answer = (await post({ events: [event('click', { token: token({ productId: `p${i}` }) })] }, from)).body;
      if (answer?.accepted !== 1) break;
      accepted++;
    }
    expect(accepted).toBe(20);
    expect(answer).toMatchObject({ accepted: 0, rejected: [{ index: 0, reason: 'bot' }] });
    expect(await streamLength(runtime)).toBe(20);
  });

  it('answers 503 when Redis cannot be reached, and claims nothing was accepted', async () => {
    const unreachable = createRedis(runtime.config.redisUrl, { name: 'closed-on-purpose' });
    await unreachable.quit();
    const offline = await startEventsApp({ ...runtime, redis: unreachable }, clock);
    try {
      const res = await postEvents(offline.url, { shop: SHOP, clock, body: { events: [event()] } });
      expect(res).toEqual({ status: 503, body: { error: 'unavailable' } });
    } finally {
      await offline.close().catch(() => undefined);
    }
    await expectNothingStored();
  });

  it('answers 429 past the per-visitor limit and past four times it per address; other visitors and addresses keep their own budget', async () => {
    const t0 = clock.ms;
    const visitor = (id: string) => ({ consent: { analytics: true }, visitor_id: id });
    expect((await post({ ...visitor('limitedVisitor'), events: [event(), event(), event()] })).status).toBe(200);
    expect((await post({ ...visitor('limitedVisitor'), events: [event(), event(), event()] })).status).toBe(200);
    const limited = await post({ ...visitor('limitedVisitor'), events: [event()] });
    expect(limited).toEqual({ status: 429, body: { error: 'rate_limited' } });
    // Another visitor id, and without consent another address, are counted apart.
    expect((await post({ ...visitor('anotherVisitor'), events: [event()] })).status).toBe(200);
    expect((await post({ events: [event()] }, { clientAddress: '198.51.100.7' })).status).toBe(200);
    // Without consent the visitor id is ignored: the address is what is counted.
    for (let i = 0; i < 5; i++) expect((await post({ visitor_id: `rotating${i}xx`, events: [event()] }, { clientAddress: '198.51.100.8' })).status).toBe(200);
    expect((await post({ visitor_id: 'rotating9xx', events: [event(), event()] }, { clientAddress: '198.51.100.8' })).status).toBe(429);
    // With consent, a made-up visitor id per beacon still shares its address's budget (4 × the limit).
    for (let i = 0; i < 8; i++) {
      expect((await post({ ...visitor(`madeUpVisitor${i}`), events: [event(), event(), event()] }, { clientAddress: '198.51.100.9' })).status).toBe(200);
    }
    expect((await post({ ...visitor('madeUpVisitor9'), events: [event()] }, { clientAddress: '198.51.100.9' })).status).toBe(429);
    // The next minute has a fresh budget.
    clock.ms = t0 + 60_000;
    expect((await post({ ...visitor('limitedVisitor'), events: [event()] })).status).toBe(200);

    await drainEvents(runtime);
    expect((await storedEvents(runtime.db)).receipts).toHaveLength(6 + 1 + 1 + 5 + 24 + 1);
    // The rate keys name a hashed subject, never the address itself.
    expect((await runtime.redis.keys(storefrontEventKey(runtime.config.queuePrefix, '*'))).join('\n')).not.toContain('198.51.100');
  });
});
