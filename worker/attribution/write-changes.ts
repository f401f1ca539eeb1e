import { sql, type Insertable, type RawBuilder, type Transaction } from 'kysely';
import type { Database, OrderRevenueTable } from '../../shared/db';
import type { AttributionChanges } from './credit-changes';
import { lockDaysQuery } from './locks';
import { deltaDays, type RollupDeltas } from './rollup-deltas';
import { deleteEmptiedRollups, rollupDeltaCtes } from './rollup-refresh';

/** `set c = excluded.c` for each column: a changed row is overwritten whole (its key stays). */
function fromExcluded<C extends string>(columns: readonly C[]): Record<C, RawBuilder<never>> {
  return Object.fromEntries(columns.map((c) => [c, sql.ref<never>(`excluded.${c}`)])) as Record<C, RawBuilder<never>>;
}

type CreditRow = Insertable<Database['order_attributions']>;

/** order_attributions columns and their types, as jsonb_to_recordset reads the written rows. */
const CREDIT_TYPES = {
  shop: 'text', order_id: 'text', line_item_id: 'text', source: 'text', token: 'text', event_id: 'text', impression_id: 'text', placement: 'text',
  product_id: 'text', sponsored: 'boolean', campaign_id: 'bigint', model_version: 'text', touched_at: 'timestamptz', net_minor: 'bigint',
  currency: 'text', presentment_currency: 'text', order_created_at: 'timestamptz', day: 'text', computed_at: 'timestamptz',
} as const;
const CREDIT_COLUMNS = Object.keys(CREDIT_TYPES) as Array<keyof typeof CREDIT_TYPES>;
const CREDIT_RECORD = sql.raw(CREDIT_COLUMNS.map((c) => `${c} ${CREDIT_TYPES[c]}`).join(', '));

const CREDIT_UPDATE = fromExcluded(['order_id', 'source', 'token', 'event_id', 'impression_id', 'placement', 'product_id', 'sponsored', 'campaign_id', 'model_version', 'touched_at', 'net_minor', 'currency', 'presentment_currency', 'order_created_at', 'day', 'computed_at'] as const);
const REVENUE_UPDATE = fromExcluded(['day', 'currency', 'presentment_currency', 'net_minor', 'attributed_minor', 'recommendation_minor', 'sponsored_minor', 'has_recommendation', 'visitor_key', 'customer_key', 'order_created_at', 'computed_at'] as const);

/**
 * Writes one order's changes in one statement (one round trip): gone credits deleted, new and
 * changed ones upserted, its order_revenue row written or deleted, and its rollup deltas added
 * (rollupDeltaCtes) once the advisory locks of their days (per shop and day, sorted) are held: the
 * rollup inserts join the locks' expression, so it completes before any rollup row is touched.
 * Rows left with no order are deleted in a second statement, only when there are some. Writes
 * nothing and takes no lock when nothing changed (a redelivery).
 */
export async function writeAttributionChanges(
  trx: Transaction<Database>,
  input: { shop: string; orderId: string; changes: AttributionChanges; revenue: Insertable<OrderRevenueTable> | null; deltas: RollupDeltas },
): Promise<void> {
  const { shop, orderId, changes, revenue, deltas } = input;
  const writes: RawBuilder<unknown>[] = [];
  const days = deltaDays(deltas);
  let emptied: RawBuilder<unknown> = sql`0`;
  if (days.length) {
    writes.push(sql`day_locks as (${lockDaysQuery(shop, days)})`);
    const rollups = rollupDeltaCtes(shop, deltas, sql`(select count(*) from day_locks)`);
    writes.push(...rollups.ctes);
    emptied = rollups.emptied;
  }
  if (changes.removedLineItems.length) {
    writes.push(sql`removed_credits as (${trx.deleteFrom('order_attributions').where('shop', '=', shop).where('line_item_id', 'in', changes.removedLineItems)})`);
  }
  if (changes.writtenCredits.length) {
    // The rows as one jsonb parameter rather than 19 a row: binding 1,700 parameters of a
    // 90-line order costs more than parsing one document.
    const rows = sql<CreditRow>`select * from jsonb_to_recordset(${JSON.stringify(changes.writtenCredits)}::jsonb) as r(${CREDIT_RECORD})`;
    const upsert = trx
      .insertInto('order_attributions')
      .columns(CREDIT_COLUMNS)
      .expression(sql`select ${sql.join(CREDIT_COLUMNS.map((c) => sql.ref(c)))} from (${rows}) r`)
      .onConflict((oc) => oc.columns(['shop', 'line_item_id']).doUpdateSet(CREDIT_UPDATE));
    writes.push(sql`written_credits as (${upsert})`);
  }
  if (changes.revenue === 'delete') writes.push(sql`removed_revenue as (${trx.deleteFrom('order_revenue').where('shop', '=', shop).where('order_id', '=', orderId)})`);
  if (changes.revenue === 'write' && revenue) {
    writes.push(sql`written_revenue as (${trx.insertInto('order_revenue').values(revenue).onConflict((oc) => oc.columns(['shop', 'order_id']).doUpdateSet(REVENUE_UPDATE))})`);
  }
  if (!writes.length) return;
  const { rows } = await sql<{ emptied: number | string }>`with ${sql.join(writes)} select ${emptied} as emptied`.execute(trx);
  if (Number(rows[0]?.emptied ?? 0) > 0) await deleteEmptiedRollups(trx, shop, deltas);
}
