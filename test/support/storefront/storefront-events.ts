import type { Db } from '../../../shared/db';

/** Events the worker stored one row each (only those sent with analytics consent). */
export async function storedEvents(db: Db, shop: string) {
  return db.selectFrom('storefront_events').selectAll().where('shop', '=', shop).orderBy('occurred_at').execute();
}

/** Daily counts: every accepted event, consent or not. */
export async function eventCounts(db: Db, shop: string) {
  const rows = await db.selectFrom('storefront_event_counts').selectAll().where('shop', '=', shop).execute();
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

/** Ids of every event the worker stored (a receipt each). */
export async function receiptIds(db: Db, shop: string): Promise<Set<string>> {
  const rows = await db.selectFrom('storefront_event_receipts').select('id').where('shop', '=', shop).execute();
  return new Set(rows.map((r) => r.id));
}

/** Sum of counts of one event type, optionally for one placement. */
export async function countOf(db: Db, shop: string, type: 'impression' | 'click' | 'add_to_cart', placement?: string): Promise<number> {
  return (await eventCounts(db, shop)).filter((r) => r.type === type && (!placement || r.placement === placement)).reduce((n, r) => n + r.count, 0);
}
