// npx tsx test/bench/reports/profile-large-order.ts — after `npm run bench:reports -- --reuse`:
// re-attributes the store's 100-line order 30 times with every query's duration logged, and
// prints the median time per query shape (the first 90 characters of its SQL).
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../../shared/db';
import { recommendationTokenKey } from '../../../shared/tracking';
import { reattributeOrder } from '../../../worker/attribution';
import { POSTGRES_URL } from '../../support/databases';
import { median } from '../support/child';
import { REUSED_SCHEMA } from './bench-database';
import { readBenchStore } from './generate-store';

async function main(): Promise<void> {
  const byQuery = new Map<string, number[]>();
  // int8 read as numbers, as shared/db's openDatabase does (money and counts).
  const types = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2, options: `-c search_path=${REUSED_SCHEMA}`, types });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      const key = event.query.sql.replace(/\s+/g, ' ').slice(0, 90);
      byQuery.set(key, [...(byQuery.get(key) ?? []), event.queryDurationMillis]);
    },
  });
  try {
    const store = await readBenchStore(db);
    if (!store) throw new Error(`no store in schema ${REUSED_SCHEMA}: run npm run bench:reports -- --reuse first`);
    const deps = { db, tokenKey: recommendationTokenKey(Buffer.alloc(32, 7)), customerIdKey: 'bench-reports-customer-id-key' };
    for (let i = 0; i < 5; i++) await reattributeOrder(deps, store.shop, store.largeOrderId);
    byQuery.clear();
    const runs = 30;
    for (let i = 0; i < runs; i++) await reattributeOrder(deps, store.shop, store.largeOrderId);
    const rows = [...byQuery].map(([sql, ms]) => ({ sql, calls: ms.length / runs, medianMs: median(ms), perOrderMs: ms.reduce((a, b) => a + b, 0) / runs }));
    for (const r of rows.sort((a, b) => b.perOrderMs - a.perOrderMs)) console.log(`${r.perOrderMs.toFixed(2)} ms/order  ${r.calls}× median ${r.medianMs.toFixed(2)} ms  ${r.sql}`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
