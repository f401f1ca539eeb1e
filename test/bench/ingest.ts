// npm run bench:ingest — end-to-end line items per second from replay to rows in the database:
// the CSV becomes signed webhooks, POSTed to the web process, queued in Redis, written by the
// worker. Web and worker share one process (as `shelfwise start` runs them); the replay runs in
// this process too. Backends: BENCH_BACKENDS=postgres,pglite (default both).
// BENCH_LIMIT=N reads only the first N rows of the file.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_CSV } from '../../shared/cli/commands/demo';
import { startRoles } from '../../shared/cli/commands/start';
import { loadThroughWebhooks } from '../../shared/cli/load-through-webhooks';
import { loadConfig } from '../../shared/config';
import { openRuntime } from '../../shared/runtime';
import { recordInstall } from '../../app/auth';
import { machine, median } from './support/child';

const CSV = process.env.BENCH_CSV ?? DEFAULT_CSV;
const LIMIT = process.env.BENCH_LIMIT ? Number(process.env.BENCH_LIMIT) : undefined;
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',');
const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SHOP = 'bench-ingest.myshopify.com';

async function freshPostgres(): Promise<string> {
  const name = `shelfwise_bench_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return name;
}

async function dropPostgres(name: string) {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

async function run(backend: string) {
  const prefix = `benchingest${randomBytes(3).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-bench-'));
  const database = backend === 'postgres' ? await freshPostgres() : undefined;
  const config = loadConfig({
    SHOPIFY_API_KEY: 'bench', SHOPIFY_API_SECRET: 'bench-secret', SHOPIFY_APP_URL: 'http://127.0.0.1',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'), CUSTOMER_ID_KEY: 'bench-customer-key-000',
    QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', PORT: '0', NODE_ENV: 'production', SHELFWISE_DATA_DIR: dataDir,
    DATABASE_URL: database ? `postgres://postgres@127.0.0.1:5432/${database}` : undefined,
    DATABASE_POOL_SIZE: '20', INGEST_CONCURRENCY: process.env.BENCH_INGEST_CONCURRENCY ?? '16',
  });
  const runtime = await openRuntime(config, 'bench-ingest');
  const running = await startRoles(runtime, ['web', 'worker']);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  try {
    await recordInstall(runtime.db, { shop: SHOP, scope: null, currency: 'GBP', at: new Date() });
    const result = await loadThroughWebhooks({ runtime, webUrl: running.url!, csv: CSV, shop: SHOP, limit: LIMIT, progress: true });
    const seconds = result.elapsedMs / 1000;
    return {
      backend,
      seconds: Number(seconds.toFixed(1)),
      lineItems: result.counts.lineItems,
      lineItemsPerSecond: Math.round(result.counts.lineItems / seconds),
      deliveries: result.replay.deliveries.sent,
      deliveriesPerSecond: Math.round(result.replay.deliveries.sent / seconds),
      orders: result.counts.orders,
      products: result.counts.products,
      refunds: result.counts.refunds,
      failedJobs: result.failedJobs.length,
      failedDeliveries: result.replay.deliveries.failed,
      peakRssMb: Math.round(peakRss / 2 ** 20),
    };
  } finally {
    clearInterval(sampler);
    await running.close();
    const keys = await runtime.redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 1000) await runtime.redis.del(...keys.slice(i, i + 1000));
    await runtime.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (database) await dropPostgres(database);
  }
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function main() {
  const results = [];
  for (const backend of BACKENDS) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await run(backend);
      console.error(JSON.stringify(r));
      runs.push(r);
    }
    results.push({
      backend,
      runs: runs.length,
      secondsMedian: median(runs.map((r) => r.seconds)),
      lineItemsPerSecondMedian: median(runs.map((r) => r.lineItemsPerSecond)),
      secondsEach: runs.map((r) => r.seconds),
      lineItems: runs[0]!.lineItems,
      deliveries: runs[0]!.deliveries,
      failedJobs: runs.reduce((sum, r) => sum + r.failedJobs, 0),
      failedDeliveries: runs.reduce((sum, r) => sum + r.failedDeliveries, 0),
      peakRssMbMax: Math.max(...runs.map((r) => r.peakRssMb)),
    });
  }
  console.log(
    JSON.stringify(
      { bench: 'ingest', machine: machine(), csv: CSV, limit: LIMIT ?? 'all', results, targets: { postgresSeconds: 120, pgliteSeconds: 240 } },
      null,
      2,
    ),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
