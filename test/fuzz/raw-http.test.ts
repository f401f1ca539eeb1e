import fc from 'fast-check';
import { startWebServer } from '../../app';
import { testRuntime } from '../support/runtime';
import { cleanAnswerProblems, sendRaw, stillHealthy } from './support/fuzz-http';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from './support/fuzz-runs';
import { FuzzTally } from './support/fuzz-tally';
import { queuesReady, snapshotStore, storeChanges } from './support/store-snapshot';

/** The rate limits' counters: the one write a refused request makes, by design. */
const SIDE_EFFECTS = { redisKeys: [/(^|:)rl:/] };

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
/** Mostly well-formed enough to reach the app, so the app's routes meet the hostile parts, not only node's parser. */
const token = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') }, fc.constantFrom('CONNECT', 'TRACE', 'get', 'PRI', ''), fc.uint8Array({ maxLength: 8 }).map(latin1));
const target = fc.oneof(
  fc.constantFrom('/webhooks', '/proxy/recommendations', '/proxy/events', '/api/campaigns', '/admin', '/auth', '/healthz', '*', 'http://evil.example/', '//', '/%', '/%00', '/..%2f..%2f'),
  fc.tuple(fc.constantFrom('/webhooks', '/proxy/events?', '/api/campaigns/', '/admin?shop='), fc.uint8Array({ maxLength: 20 })).map(([prefix, bytes]) => prefix + latin1(bytes)),
);
const version = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('HTTP/1.1', 'HTTP/1.0') }, fc.constantFrom('HTTP/2.0', 'HTTP/9', 'http/1.1', ''));
const header = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('Host: x', 'Content-Length: 5', 'Content-Length: -1', 'Content-Length: 99999999999999999999', 'Content-Length: 1, 2', 'Transfer-Encoding: chunked', 'Transfer-Encoding: gzip, chunked', 'Content-Type: application/json', 'X-Forwarded-For: ::1, evil', 'X-Shopify-Hmac-Sha256: AAAA', 'Authorization: Bearer a.b.c', 'Expect: 100-continue', 'Connection: upgrade', 'Upgrade: websocket', 'Content-Type: text/plain', 'User-Agent: Mozilla/5.0', 'X-Shopify-Topic: orders/create', 'X-Shopify-Shop-Domain: a.myshopify.com', 'Cookie: a=b') },
  fc.tuple(fc.uint8Array({ maxLength: 12 }), fc.uint8Array({ maxLength: 30 })).map(([name, value]) => `${latin1(name)}: ${latin1(value)}`),
);
const body = fc.oneof(fc.constant(''), fc.constantFrom('{}', '0\r\n\r\n', 'zz\r\nxx\r\n0\r\n\r\n', '{"events":[]}'), fc.uint8Array({ maxLength: 60 }).map(latin1));

jest.setTimeout(FUZZ_TIMEOUT_MS);

describe('fuzz: malformed HTTP on the raw socket (the whole web process)', () => {
  let runtime: Awaited<ReturnType<typeof testRuntime>>;
  let server: { url: string; close(): Promise<void> };
  const tally = new FuzzTally();

  beforeAll(async () => {
    runtime = await testRuntime({ backend: 'postgres' });
    server = await startWebServer(runtime, { port: 0, storefrontRedis: runtime.redis });
    await queuesReady(runtime, ['ingest', 'sync']);
  });
  afterAll(async () => {
    tally.write();
    await server?.close();
    await runtime?.close();
  });

  it('answers any request line, headers and body with a 4xx or a closed connection, never a 5xx; nothing is written and the process keeps serving', async () => {
    const before = await snapshotStore(runtime, SIDE_EFFECTS);
    await fc.assert(
      fc.asyncProperty(token, target, version, fc.array(header, { maxLength: 6 }), body, async (method, path, http, headers, payload) => {
        const lines = [`${method} ${path} ${http}`, 'Host: 127.0.0.1', ...headers];
        const request = Buffer.from(`${lines.join('\r\n')}\r\n\r\n${payload}`, 'latin1');
        const res = await sendRaw(server.url, request);
        tally.count('raw HTTP: malformed requests', { rejected: res.status === 0 || res.status >= 400 });
        expect(cleanAnswerProblems(res)).toEqual([]);
      }),
      fuzzParameters(3),
    );
    expect(await stillHealthy(server.url)).toBe(true);
    expect(storeChanges(before, await snapshotStore(runtime, SIDE_EFFECTS))).toEqual([]);
  });
});
