// npm run bench:webhooks — accepted webhook deliveries per second and latency of POST /webhooks
// under load (autocannon over loopback, the web process in its own process, real Redis/BullMQ).
// Every request is a distinct, correctly signed delivery with its own webhook and event id (both
// deduplication keys are claimed), so none is short-circuited as a duplicate.
import { randomBytes, randomUUID } from 'node:crypto';
import { shopifyWebhookHmac } from '../../shared/replay';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startChild, machine, median } from './support/child';

const SECRET = 'bench-secret';
const SHOP = 'bench.myshopify.com';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTION_LEVELS = (process.env.BENCH_CONNECTIONS ?? '8,16').split(',').map(Number);

function orderBody(i: number): string {
  return JSON.stringify({
    id: 100000 + i, name: `#${i}`, created_at: '2010-01-01T10:00:00Z', updated_at: '2010-01-01T10:00:00Z',
    currency: 'GBP', total_price: '41.70', line_items: Array.from({ length: 18 }, (_, n) => ({
      id: i * 100 + n, product_id: 20000 + n, variant_id: 30000 + n, title: `ITEM ${n}`, quantity: 6, price: '6.95', properties: [],
    })),
  });
}

async function main() {
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const env = {
    SHOPIFY_API_KEY: 'bench', SHOPIFY_API_SECRET: SECRET, SHOPIFY_APP_URL: 'http://127.0.0.1',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'), CUSTOMER_ID_KEY: 'bench-customer-key-000',
    QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', PORT: '0', NODE_ENV: 'production',
    SHELFWISE_DATA_DIR: `/tmp/shelfwise-bench-${prefix}`,
    // The per-shop limiter runs (part of what is measured) but never refuses the load.
    WEBHOOK_RATE_LIMIT_PER_MINUTE: '10000000',
  };
  const server = await startChild('test/bench/support/web-server.ts', env);
  const url = server.firstLine.trim();
  const bodies = Array.from({ length: 64 }, (_, i) => orderBody(i));
  const hmacs = bodies.map((b) => shopifyWebhookHmac(b, SECRET));
  let n = 0;
  // Every request a distinct delivery: a fresh webhook id, so none is answered as a duplicate.
  const signedDelivery = (req: autocannon.Request, i: number): autocannon.Request => ({
    ...req,
    body: bodies[i],
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': hmacs[i]!,
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': SHOP,
      'x-shopify-api-version': '2026-07',
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-event-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString(),
    },
  });
  const levels: Array<Record<string, unknown>> = [];
  let accepted = 0;
  let enqueued = 0;
  try {
    for (const connections of CONNECTION_LEVELS) {
      const runs: Array<{ rps: number; p50: number; p99: number; non2xx: number }> = [];
      for (let run = 0; run <= RUNS; run++) {
        const result = await autocannon({
          url: `${url}/webhooks`,
          connections,
          duration: run === 0 ? 3 : DURATION,
          requests: [{ method: 'POST', setupRequest: (req) => signedDelivery(req, n++ % bodies.length) }],
        });
        accepted += result['2xx'];
        if (run === 0) continue; // warm-up
        runs.push({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx });
        console.error(
          `${connections} connections, run ${run}: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`,
        );
      }
      levels.push({
        connections,
        acceptedPerSecondMedian: Math.round(median(runs.map((r) => r.rps))),
        p50MsMedian: median(runs.map((r) => r.p50)),
        p99MsMedian: median(runs.map((r) => r.p99)),
        non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
      });
    }
    // Every 200 must be a job waiting in the queue, or the figure counts nothing.
    const queue = new Queue('ingest', { connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, prefix });
    enqueued = await queue.count();
    await queue.close();
  } finally {
    await server.stop();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
  const summary = {
    bench: 'webhooks',
    machine: machine(),
    secondsPerRun: DURATION,
    runsPerLevel: RUNS,
    levels,
    acceptedTotal: accepted,
    enqueuedTotal: enqueued,
    targets: { acceptedPerSecond: 1500, p99Ms: 20 },
  };
  console.log(JSON.stringify(summary, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
