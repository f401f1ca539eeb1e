import { createHmac, randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import { startWebServer } from '../../app';
import { QUEUE, WEBHOOK_TOPICS } from '../../shared/queue';
import { TEST_SECRET } from '../support/config';
import { testRuntime } from '../support/runtime';
import { orderPayload } from '../support/shopify-payloads';
import { headerValue, shopHeader } from './support/arbitraries';
import { cleanAnswerProblems, send, stillHealthy } from './support/fuzz-http';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from './support/fuzz-runs';
import { FuzzTally } from './support/fuzz-tally';
import { queuesReady, snapshotStore, storeChanges } from './support/store-snapshot';

const SHOP = 'fuzz.myshopify.com';

/** The one write a rejected delivery makes, by design: its address's rate-limit counter (app/http/rate-limit). */
const SIDE_EFFECTS = { redisKeys: [/(^|:)rl:/] };
const randomAddress = () => `10.${[...randomBytes(3)].join('.')}`;
const hmac = (body: Buffer, secret = TEST_SECRET) => createHmac('sha256', secret).update(body).digest('base64');

/** Bodies: bytes, text, JSON of any shape, and a real order. */
const body = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v))),
  fc.constant(Buffer.from(JSON.stringify(orderPayload()))),
  fc.constant(Buffer.alloc(0)),
);

/** A header that may be absent (undefined), valid, or hostile. */
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 4 });
const topicHeader = fc.oneof(fc.constantFrom(...WEBHOOK_TOPICS), headerValue);

interface Headers {
  hmac?: string;
  topic?: string;
  shop?: string;
  webhookId?: string;
  apiVersion?: string;
  eventId?: string;
  triggeredAt?: string;
  contentType?: string;
}

function headersOf(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined) out[name] = value;
  };
  put('x-shopify-hmac-sha256', h.hmac);
  put('x-shopify-topic', h.topic);
  put('x-shopify-shop-domain', h.shop);
  put('x-shopify-webhook-id', h.webhookId);
  put('x-shopify-api-version', h.apiVersion);
  put('x-shopify-event-id', h.eventId);
  put('x-shopify-triggered-at', h.triggeredAt);
  put('content-type', h.contentType);
  return out;
}

const otherHeaders = fc.record({
  topic: optional(topicHeader),
  shop: optional(shopHeader),
  webhookId: optional(headerValue),
  apiVersion: optional(headerValue),
  eventId: optional(headerValue),
  triggeredAt: optional(headerValue),
  contentType: optional(fc.oneof(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16'), headerValue)),
});

jest.setTimeout(FUZZ_TIMEOUT_MS);

describe('fuzz: POST /webhooks over real HTTP (PostgreSQL, Redis, BullMQ)', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: { url: string; close(): Promise<void> };
  let ingestQueue: Queue;
  const tally = new FuzzTally();

  beforeAll(async () => {
    runtime = await testRuntime({ backend: 'postgres' });
    server = await startWebServer(runtime, { port: 0 });
    ingestQueue = new Queue(QUEUE.ingest, { connection: runtime.redis, prefix: runtime.config.queuePrefix });
    await queuesReady(runtime, ['ingest', 'sync']);
  });
  afterAll(async () => {
    tally.write();
    await server?.close();
    await ingestQueue?.close();
    await runtime?.close();
  });

  // Each case from an address of its own (the app trusts X-Forwarded-For from its proxy), so the
  // per-address limit on rejected deliveries (60 a minute by default) lets every case reach the handler.
  const post = (bytes: Buffer, headers: Headers) =>
    send(server.url, { method: 'POST', path: '/webhooks', headers: { ...headersOf(headers), 'x-forwarded-for': randomAddress() }, body: bytes });

  // Found by the properties below: without a Content-Type the body was not read, so the HMAC
  // (computed over nothing) failed and a correctly signed delivery was answered 401.
  it('verifies a signed delivery whatever its Content-Type, absent included', async () => {
    const bytes = Buffer.from(JSON.stringify(orderPayload()));
    for (const contentType of [undefined, '', 'text/plain', 'application/x-www-form-urlencoded']) {
      const res = await post(bytes, { hmac: hmac(bytes), topic: 'orders/create', shop: SHOP, webhookId: randomBytes(8).toString('hex'), apiVersion: '2026-07', contentType });
      expect([contentType, res.status, JSON.parse(res.text)]).toEqual([contentType, 200, { ok: true }]);
    }
    await ingestQueue.obliterate({ force: true });
  });

  it('answers a forged or unsigned delivery 401 whatever its headers and body, and writes nothing', async () => {
    const before = await snapshotStore(runtime, SIDE_EFFECTS);
    const forgedHmac = (bytes: Buffer) =>
      fc.oneof(
        fc.constant(undefined),
        fc.constant(''),
        headerValue,
        fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64')),
        fc.constant(hmac(bytes, 'not-the-secret')),
        fc.constant(hmac(Buffer.concat([bytes, Buffer.from(' ')]))),
        // The right HMAC in hex, or cut short: compared as base64 bytes, neither matches.
        fc.constant(createHmac('sha256', TEST_SECRET).update(bytes).digest('hex')),
        fc.constant(hmac(bytes).slice(0, 20)),
      );
    await fc.assert(
      fc.asyncProperty(
        body.chain((bytes) => fc.tuple(fc.constant(bytes), forgedHmac(bytes), otherHeaders)),
        async ([bytes, forged, headers]) => {
          const res = await post(bytes, { ...headers, hmac: forged });
          tally.count('webhooks: forged or unsigned', { rejected: true });
          expect(cleanAnswerProblems(res)).toEqual([]);
          expect(res.status).toBe(401);
        },
      ),
      fuzzParameters(3),
    );
    expect(storeChanges(before, await snapshotStore(runtime, SIDE_EFFECTS))).toEqual([]);
    expect(await stillHealthy(server.url)).toBe(true);
  });

  it('answers a signed delivery with missing or wrong headers 400 (or 200 ignored for a topic not subscribed), and writes nothing', async () => {
    const before = await snapshotStore(runtime, SIDE_EFFECTS);
    // HTTP drops the spaces around a header's value (node:http included): judge what the app reads.
    const flawed = otherHeaders.filter((raw) => {
      const h = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v])) as typeof raw;
      return !h.topic || !h.shop || !h.webhookId || !h.apiVersion || !/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(h.shop) || !(WEBHOOK_TOPICS as readonly string[]).includes(h.topic);
    });
    await fc.assert(
      fc.asyncProperty(body, flawed, async (bytes, headers) => {
        const res = await post(bytes, { ...headers, hmac: hmac(bytes) });
        tally.count('webhooks: signed, bad headers', { rejected: true });
        expect(cleanAnswerProblems(res)).toEqual([]);
        if (res.status === 200) expect(JSON.parse(res.text)).toEqual({ ok: true, ignored: true });
        else expect(res.status).toBe(400);
      }),
      fuzzParameters(3),
    );
    expect(storeChanges(before, await snapshotStore(runtime, SIDE_EFFECTS))).toEqual([]);
    expect(await stillHealthy(server.url)).toBe(true);
  });

  it('accepts a correctly signed hostile body (200) and queues it byte for byte for the worker to refuse', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom(...WEBHOOK_TOPICS), headerValue, async (bytes, topic, eventId) => {
        const webhookId = randomBytes(8).toString('hex');
        const res = await post(bytes, { hmac: hmac(bytes), topic, shop: SHOP, webhookId, apiVersion: '2026-07', eventId: eventId || undefined });
        tally.count('webhooks: signed, hostile body', { rejected: false });
        expect(cleanAnswerProblems(res)).toEqual([]);
        expect(res.status).toBe(200);
        const answer = JSON.parse(res.text) as { ok: boolean; duplicate?: boolean };
        expect(answer.ok).toBe(true);
        if (answer.duplicate) return;
        accepted++;
        const job = await ingestQueue.getJob(`wh--${SHOP.replace(/[^A-Za-z0-9._-]/g, '_')}--${webhookId}`);
        expect(job?.data.body).toBe(bytes.toString('utf8'));
      }),
      fuzzParameters(1),
    );
    expect(await ingestQueue.count()).toBe(accepted);
    // The web process wrote no row: parsing and storing are the worker's.
    const snapshot = await snapshotStore(runtime, SIDE_EFFECTS);
    expect(Object.entries(snapshot.tables).filter(([name, t]) => t.rows > 0 && name !== 'kysely_migration' && name !== 'kysely_migration_lock')).toEqual([]);
  });
});
