// npx tsx test/bench/reports/profile-large-order.ts — after `npm run bench:reports -- --reuse`:
// re-attributes the store's 100-line order 30 times per case with every query's duration logged,
// and prints each case's wall time per call (median, p95) and the time per query shape (the first
// 90 characters of its SQL). Cases: a redelivery (nothing changed), one line's discount changed
// (a partial refund or edit), every line's discount changed (every credit and rollup key) and a new
// order (its credits taken away untimed first, as bench:reports' "first attribution" does).
// The store's line discounts are put back at the end.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../../shared/db';
import { recommendationTokenKey } from '../../../shared/tracking';
import { reattributeOrder } from '../../../worker/attribution';
import { POSTGRES_URL } from '../../support/databases';
import { median } from '../support/child';
import { REUSED_SCHEMA } from './bench-database';
import { readBenchStore } from './generate-store';

const RUNS = 30;

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

async function main(): Promise<void> {
  const byQuery = new Map<string, number[]>();
  // Off while a case's untimed preparation runs (its own queries are not the call's).
  let collecting = true;
  // int8 read as numbers, as shared/db's openDatabase does (money and counts).
  const types = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2, options: `-c search_path=${REUSED_SCHEMA}`, types });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (!collecting) return;
      const key = event.query.sql.replace(/\s+/g, ' ').slice(0, 90);
      byQuery.set(key, [...(byQuery.get(key) ?? []), event.queryDurationMillis]);
    },
  });
  const store = await readBenchStore(db);
  if (!store) throw new Error(`no store in schema ${REUSED_SCHEMA}: run npm run bench:reports -- --reuse first`);
  const { shop, largeOrderId } = store;
  const lines = await db.selectFrom('order_line_items').select(['id', 'total_discount_minor']).where('shop', '=', shop).where('order_id', '=', largeOrderId).orderBy('position').execute();
  // Alternates a discount of 1 minor unit on the given lines, so each call has something to change.
  const toggle = async (ids: string[], run: number) => {
    await db.updateTable('order_line_items').set({ total_discount_minor: sql`total_discount_minor + ${run % 2 === 0 ? 1 : -1}` }).where('shop', '=', shop).where('order_id', '=', largeOrderId).where('id', 'in', ids).execute();
  };
  const cases: Array<{ name: string; before?: (run: number) => Promise<void> }> = [
    { name: 'redelivery (nothing changed)' },
    { name: 'one line changed', before: (run) => toggle([lines[0]!.id], run) },
    { name: 'every line changed', before: (run) => toggle(lines.map((l) => l.id), run) },
    {
      // As bench:reports' "first attribution": made a test order and re-attributed (its credits,
      // revenue row and rollup contribution go), then a real order again, untimed.
      name: 'new order (first attribution)',
      before: async () => {
        collecting = false;
        const setTest = (test: boolean) => db.updateTable('orders').set({ test }).where('shop', '=', shop).where('id', '=', largeOrderId).execute();
        await setTest(true);
        await reattributeOrder(deps, shop, largeOrderId);
        await setTest(false);
        collecting = true;
      },
    },
  ];
  const deps = { db, tokenKey: recommendationTokenKey(Buffer.alloc(32, 7)), customerIdKey: 'bench-reports-customer-id-key' };
  try {
    for (let i = 0; i < 5; i++) await reattributeOrder(deps, shop, largeOrderId);
    for (const c of cases) {
      const wall: number[] = [];
      for (let i = 0; i < RUNS + 5; i++) {
        await c.before?.(i);
        const started = performance.now();
        await reattributeOrder(deps, shop, largeOrderId);
        if (i >= 5) wall.push(performance.now() - started);
      }
      // Per-query figures from 30 more calls (the wall times above are taken without collecting them).
      console.log(`\n${c.name}: median ${median(wall).toFixed(2)} ms, p95 ${p95(wall).toFixed(2)} ms per call (${RUNS} calls, load ${loadavg()[0]!.toFixed(2)})`);
      byQuery.clear();
      for (let i = 0; i < RUNS; i++) {
        await c.before?.(i + 1);
        await reattributeOrder(deps, shop, largeOrderId);
      }
      // The toggle's own update is not the attribution's.
      const rows = [...byQuery].filter(([q]) => !q.startsWith('update "order_line_items"')).map(([q, ms]) => ({ q, calls: ms.length / RUNS, medianMs: median(ms), perOrderMs: ms.reduce((a, b) => a + b, 0) / RUNS }));
      for (const r of rows.sort((a, b) => b.perOrderMs - a.perOrderMs)) console.log(`  ${r.perOrderMs.toFixed(2)} ms/call  ${r.calls}× median ${r.medianMs.toFixed(2)} ms  ${r.q}`);
    }
  } finally {
    // Back to the stored discounts, and the order attributed from them.
    for (const l of lines) await db.updateTable('order_line_items').set({ total_discount_minor: l.total_discount_minor }).where('shop', '=', shop).where('order_id', '=', largeOrderId).where('id', '=', l.id).execute();
    await reattributeOrder({ db, tokenKey: recommendationTokenKey(Buffer.alloc(32, 7)), customerIdKey: 'bench-reports-customer-id-key' }, shop, largeOrderId);
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
