// npx tsx test/worker/train/run-training.bench.ts — the whole training run (snapshot → fit →
// record → publish) on the development store, wall and CPU seconds per phase and peak RSS: the
// target is under 60 s on this machine. Imports the development CSV into an embedded PGlite data
// directory the first time (BENCH_DATA_DIR, default /tmp/shelfwise-train-bench; ~10 minutes),
// then reuses it (BENCH_SHOP names the shop in it). Real Redis at REDIS_URL; keys under a prefix of their own, deleted afterwards.
import path from 'node:path';
import pino from 'pino';
import { importCatalog } from '../../../shared/cli/commands/import';
import { DEFAULT_CSV } from '../../../shared/cli/commands/demo';
import { migrateToLatest, openDatabase } from '../../../shared/db';
import { createRedis } from '../../../shared/redis';
import { runTraining } from '../../../worker/train';
import { machine } from '../../bench/support/child';
import { deleteKeys } from '../../support/runtime';

const DATA_DIR = process.env.BENCH_DATA_DIR ?? '/tmp/shelfwise-train-bench';
const CSV = process.env.BENCH_CSV ?? DEFAULT_CSV;
const SHOP = process.env.BENCH_SHOP ?? 'bench-train.myshopify.com';
const PREFIX = `bench-train-${process.pid}`;

async function main(): Promise<void> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination({ dest: 2, sync: true }));
  const db = await openDatabase({ kind: 'pglite', dataDir: path.join(DATA_DIR, 'pglite') });
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    await migrateToLatest(db);
    const { orders } = (await db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('orders')).where('shop', '=', SHOP).executeTakeFirstOrThrow());
    if (Number(orders) === 0) {
      console.log(`importing ${CSV} into ${DATA_DIR} (once)…`);
      await importCatalog({ db, logger, customerIdKey: 'bench-train-customer-key-0123', shop: SHOP, file: CSV });
    }
    console.log(`${machine()}; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const cpu = process.cpuUsage();
    const run = await runTraining({ db, redis, prefix: PREFIX, shop: SHOP, logger, force: true });
    const used = process.cpuUsage(cpu);
    const t = run.timings;
    console.log(`outcome ${run.outcome}; snapshot ${t.snapshot.toFixed(2)} s, fit ${t.fit.toFixed(2)} s, publish ${t.publish.toFixed(2)} s, total ${t.total.toFixed(2)} s wall`);
    console.log(`CPU ${((used.user + used.system) / 1e6).toFixed(2)} s (user ${(used.user / 1e6).toFixed(2)}, system ${(used.system / 1e6).toFixed(2)}); peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; backend ${run.version?.backend ?? '-'}`);
    if (run.version) console.log(`data: ${JSON.stringify(run.version.data_snapshot.counts)}`);
  } finally {
    await deleteKeys(redis, `${PREFIX}:*`);
    await redis.quit();
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
