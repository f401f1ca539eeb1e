// npm run bench:reports — issue 6's benchmark on PostgreSQL: a store of 1,000,000 storefront
// events and 100,000 orders (events through the worker's batch writer, every order attributed by
// reattributeOrder), then p95 of the overview and campaign reports (target ≤ 200 ms) and of
// attributing a 100-line order (target ≤ 20 ms): the same order made new again, a new copy of
// it under fresh ids, and a redelivery.
// Options: --reuse (keep the generated store in schema bench_reports and use it next time;
// --regenerate rebuilds it), --keep (keep a fresh run's schema), --runs 50, --warmups 5,
// --workers 4 (concurrent attribution workers), --events 1000000, --orders 100000 (smaller for a
// trial), --quiet-wait 300 (seconds to wait for a 1-minute load average < 1.5 before timing).
// TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test.
import { execSync } from 'node:child_process';
import { sql } from 'kysely';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { recommendationTokenKey } from '../../shared/tracking';
import { overviewReport } from '../../shared/reports';
import { reattributeOrder } from '../../worker/attribution';
import { POSTGRES_URL } from '../support/databases';
import { dropSchema, openBenchDatabase, REUSED_SCHEMA, serverVersion } from './reports/bench-database';
import { generateBenchStore, readBenchStore } from './reports/generate-store';
import { lastDays, reportCases } from './reports/report-cases';
import { waitForQuiet } from './reports/quiet';
import { measurementTable, timeCalls, type Measurement } from './reports/timing';
import { machine } from './support/child';

const { values: args } = parseArgs({
  options: {
    reuse: { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    runs: { type: 'string', default: '50' },
    warmups: { type: 'string', default: '5' },
    workers: { type: 'string', default: '4' },
    events: { type: 'string', default: '1000000' },
    orders: { type: 'string', default: '100000' },
    'quiet-wait': { type: 'string', default: '300' },
  },
});

const SHOP = 'bench-reports.myshopify.com';
const TOKEN_KEY = recommendationTokenKey(Buffer.alloc(32, 7));
const PSEUDONYM_KEY = 'bench-reports-customer-id-key';
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const runs = Number(args.runs);
  const warmups = Number(args.warmups);
  const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  const dirty = execSync('git status --porcelain -- shared worker', { encoding: 'utf8' }).trim() ? ' (+ uncommitted changes in shared/worker)' : '';
  console.log(`# bench:reports ${new Date().toISOString()}`);
  console.log(`machine: ${machine()}; PostgreSQL ${await serverVersion(POSTGRES_URL)}; commit ${commit}${dirty}; load average ${load()}`);

  if (args.reuse && args.regenerate) await dropSchema(POSTGRES_URL, REUSED_SCHEMA);
  let bench = await openBenchDatabase({ url: POSTGRES_URL, reuse: args.reuse, poolSize: 8 });
  let store = args.reuse ? await readBenchStore(bench.db) : null;
  if (args.reuse && !store) {
    // A reused schema without a finished store (an interrupted generation): start it afresh.
    await bench.close({ keep: false });
    bench = await openBenchDatabase({ url: POSTGRES_URL, reuse: true, poolSize: 8 });
  }
  const { db } = bench;
  try {
    if (store) console.log(`reusing the store generated ${store.generatedAt} in schema ${bench.schema} (generation took ${JSON.stringify(store.timings)})`);
    else {
      console.log(`generating in schema ${bench.schema}:`);
      const started = performance.now();
      store = await generateBenchStore({
        db,
        shop: SHOP,
        shape: { products: 2000, campaigns: 8, events: Number(args.events), orders: Number(args.orders), visitors: 80_000, customerEvery: 4, days: 365 },
        tokenKey: TOKEN_KEY,
        pseudonymKey: PSEUDONYM_KEY,
        workers: Number(args.workers),
        now: new Date(),
        log: (line) => console.log(line),
      });
      console.log(`  generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const ready = store;
    console.log(`data: ${JSON.stringify(ready.shape)}; last day ${ready.lastDay}`);

    const quiet = await waitForQuiet({ threshold: 1.5, maxWaitSeconds: Number(args['quiet-wait']) });
    console.log(`load average before timing: ${quiet.load.toFixed(2)}${quiet.quiet ? '' : ' (did not fall below 1.5 in time: figures taken under load)'}`);

    const measurements: Measurement[] = [];
    const year = await overviewReport(db, ready.shop, lastDays(ready.lastDay, 365));
    console.log(`overview of 365 days: ${JSON.stringify(year.totals)}; lift ${year.lift.status} (${year.lift.message})`);
    for (const c of reportCases(db, ready.shop, ready.lastDay, ready.campaignIds[0]!)) {
      measurements.push({ metric: c.metric, targetMs: c.targetMs, durationsMs: await timeCalls(c.run, { warmups, runs }) });
      console.error(`${c.metric}: done, load average ${load()}`);
    }
    const deps = { db, tokenKey: TOKEN_KEY, customerIdKey: PSEUDONYM_KEY };
    const attributeLarge = () => reattributeOrder(deps, ready.shop, ready.largeOrderId);
    // First attribution: before each call (untimed) the order is made a test order and
    // re-attributed, which takes its credits, revenue row and rollup contribution away through
    // the same path as production, then made a real order again; each timed call then computes,
    // inserts and rolls up all of it as for a new order, and the store stays consistent.
    const setTest = (test: boolean) => db.updateTable('orders').set({ test }).where('shop', '=', ready.shop).where('id', '=', ready.largeOrderId).execute();
    const forgetLarge = async () => {
      await setTest(true);
      await attributeLarge();
      await setTest(false);
    };
    measurements.push({ metric: 'reattributeOrder, 100-line order, first attribution', targetMs: 20, durationsMs: await timeCalls(attributeLarge, { warmups, runs, before: forgetLarge }) });
    // A new order: before each call (untimed) a copy of the 100-line order is written under fresh
    // order and line ids, so the call attributes an order never attributed before, as a new
    // orders/create is (the loop above re-creates the same keys each time, whose dead index
    // entries from the earlier attempts each insert then walks). The copies are taken out
    // through the production path afterwards.
    const copies: string[] = [];
    const copyLarge = async () => {
      const id = String(5_700_000_000_000 + copies.length + 1);
      const lineOffset = 1_000 * (copies.length + 1);
      await sql`insert into orders select * from jsonb_populate_record(null::orders,
        (select to_jsonb(o) || jsonb_build_object('id', ${id}::text) from orders o where o.shop = ${ready.shop} and o.id = ${ready.largeOrderId}))`.execute(db);
      await sql`insert into order_line_items select * from jsonb_populate_recordset(null::order_line_items,
        (select jsonb_agg(to_jsonb(l) || jsonb_build_object('id', (l.id::bigint - 100000000000 + ${lineOffset}::bigint)::text, 'order_id', ${id}::text))
         from order_line_items l where l.shop = ${ready.shop} and l.order_id = ${ready.largeOrderId}))`.execute(db);
      copies.push(id);
    };
    const attributeCopy = () => reattributeOrder(deps, ready.shop, copies[copies.length - 1]!);
    measurements.push({ metric: 'reattributeOrder, new 100-line order (fresh ids)', targetMs: 20, durationsMs: await timeCalls(attributeCopy, { warmups, runs, before: copyLarge }) });
    for (const id of copies) {
      await db.updateTable('orders').set({ test: true }).where('shop', '=', ready.shop).where('id', '=', id).execute();
      await reattributeOrder(deps, ready.shop, id);
      await db.deleteFrom('order_line_items').where('shop', '=', ready.shop).where('order_id', '=', id).execute();
      await db.deleteFrom('orders').where('shop', '=', ready.shop).where('id', '=', id).execute();
    }
    // A redelivery of the same order: nothing changed, nothing written.
    measurements.push({ metric: 'reattributeOrder, 100-line order, redelivered', targetMs: 20, durationsMs: await timeCalls(attributeLarge, { warmups, runs }) });
    const credits = await db.selectFrom('order_attributions').select((eb) => eb.fn.countAll<number>().as('n')).where('shop', '=', ready.shop).where('order_id', '=', ready.largeOrderId).executeTakeFirstOrThrow();
    console.log(`100-line order: ${credits.n} lines credited`);

    console.log(`load average after timing: ${load()}`);
    console.log(measurementTable(measurements));
  } finally {
    await bench.close({ keep: args.keep || args.reuse });
    if (!(args.keep || args.reuse)) console.log(`schema ${bench.schema} dropped`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
