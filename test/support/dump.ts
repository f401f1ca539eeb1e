import { sql } from 'kysely';
import type { Db } from '../../shared/db';

const TABLES = ['shops', 'products', 'product_variants', 'orders', 'order_line_items', 'refunds', 'refund_line_items'];

/** Every row of the store's tables, in a stable order: two equal stores dump equal. */
export async function dumpStore(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    out[table] = rows.rows
      .map((row) => {
        const { created_at: _c, updated_at: _u, ...rest } = row;
        // shops carry wall-clock bookkeeping columns; the others' timestamps are data.
        return table === 'shops' ? rest : row;
      })
      .map((row) => JSON.stringify(row))
      .sort();
  }
  return out;
}

export async function clearStore(db: Db): Promise<void> {
  for (const table of TABLES) await sql`delete from ${sql.table(table)}`.execute(db);
}
