// npm run bench:ingest — end-to-end line items per second from replay to rows in the database:
// the CSV becomes signed webhooks, POSTed to the web process, queued in Redis, written by the
// worker. The app runs as operators run it, through the real CLI in its own processes:
//   postgres: `shelfwise serve` and `shelfwise worker` (two processes, DATABASE_URL)
//   pglite:   `shelfwise start` (web and worker share the embedded database in one process)
// This process replays the file and waits until the queue has drained.
// BENCH_BACKENDS=postgres,pglite (default both), BENCH_RUNS=3, BENCH_LIMIT=N rows.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_CSV } from '../../shared/cli/commands/demo';
import { freePort } from '../../shared/cli/free-port';
import { waitForIngestDrained } from '../../shared/cli/ingest-drain';
import { storeCounts } from '../../shared/cli/store-counts';
import { openDatabase } from '../../shared/db';
import { createRedis } from '../../shared/redis';
import { createProgressLine, runReplay } from '../../shared/replay';
import { machine, median } from './support/child';

const ROOT = path.resolve(__dirname, '../..');
const CSV = process.env.BENCH_CSV ?? DEFAULT_CSV;
const LIMIT = process.env.BENCH_LIMIT ? Number(process.env.BENCH_LIMIT) : undefined;
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SHOP = 'bench-ingest.myshopify.com';
const SECRET = 'bench-secret';

async function adminQuery(sql: string) {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(sql);
  await admin.end();
}

function cli(command: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, 'shared/cli/bin.cjs'), command], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function healthy(url: string, children: ChildProcess[]) {
  for (let i = 0; i < 600; i++) {
    if (children.some((c) => c.exitCode !== null)) throw new Error('an app process exited during start-up');
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

async function peakRssMb(children: ChildProcess[]): Promise<number> {
  let total = 0;
  for (const c of children) {
    const status = fs.readFileSync(`/proc/${c.pid}/status`, 'utf8');
    total += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  }
  return Math.round(total);
}

async function run(backend: string) {
  const prefix = `benchingest${randomBytes(3).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-bench-'));
  const database = backend === 'postgres' ? `shelfwise_bench_${randomBytes(3).toString('hex')}` : undefined;
  if (database) await adminQuery(`create database ${database}`);
  const databaseUrl = database ? `postgres://postgres@127.0.0.1:5432/${database}` : undefined;
  const port = await freePort();
  const env: Record<string, string> = {
    SHOPIFY_API_KEY: 'bench', SHOPIFY_API_SECRET: SECRET, SHOPIFY_APP_URL: 'http://127.0.0.1',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'), CUSTOMER_ID_KEY: 'bench-customer-key-000',
    QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', PORT: String(port), NODE_ENV: 'production', SHELFWISE_DATA_DIR: dataDir,
    REDIS_URL, DATABASE_POOL_SIZE: '20', INGEST_CONCURRENCY: process.env.BENCH_INGEST_CONCURRENCY ?? '16',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const redis = createRedis(REDIS_URL);
  let children: ChildProcess[] = [];
  try {
    if (databaseUrl) {
      // Migrate once first, so the two processes do not race to create the schema.
      const migrate = cli('migrate', env);
      await new Promise((r) => migrate.once('exit', r));
      children = [cli('serve', env), cli('worker', env)];
    } else {
      children = [cli('start', env)];
    }
    await healthy(`http://127.0.0.1:${port}/healthz`, children);
    const started = Date.now();
    const replay = await runReplay({
      file: CSV, url: `http://127.0.0.1:${port}/webhooks`, secret: SECRET, shop: SHOP, apiVersion: '2026-07',
      limit: LIMIT, concurrency: 16, progress: (total) => createProgressLine({ stream: process.stderr, total }),
    });
    const failedJobs = await waitForIngestDrained({ redis, queuePrefix: prefix, timeoutMs: 30 * 60_000 });
    const seconds = (Date.now() - started) / 1000;
    const rss = await peakRssMb(children);
    await Promise.all(children.map(stop));
    children = [];
    const db = await openDatabase(databaseUrl ? { kind: 'postgres', url: databaseUrl, poolSize: 2 } : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    const counts = await storeCounts(db, SHOP);
    await db.destroy();
    return {
      backend,
      seconds: Number(seconds.toFixed(1)),
      lineItems: counts.lineItems,
      lineItemsPerSecond: Math.round(counts.lineItems / seconds),
      deliveries: replay.deliveries.sent,
      orders: counts.orders,
      products: counts.products,
      refunds: counts.refunds,
      failedJobs: failedJobs.length,
      failedDeliveries: replay.deliveries.failed,
      appPeakRssMb: rss,
    };
  } finally {
    await Promise.all(children.map(stop));
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    await redis.quit();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (database) await adminQuery(`drop database if exists ${database} with (force)`);
  }
}

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
      appPeakRssMbMax: Math.max(...runs.map((r) => r.appPeakRssMb)),
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
