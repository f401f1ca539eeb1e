import { sql } from 'kysely';
import type { Db } from '../../shared/db';

/** Rows deleted per statement: short transactions, no long lock on the events table. */
const BATCH = 5000;

export interface EventPurge {
  /** Cut-off: raw events that occurred before it are gone. */
  before: Date;
  events: number;
  receipts: number;
}

/**
 * Retention of raw storefront events (EVENT_RETENTION_DAYS): every shop's event rows older than
 * the cut-off go, with their receipts (a receipt only dedupes redeliveries, and no token that old
 * is accepted any more: the config refuses an EVENT_MAX_AGE_SECONDS beyond the retention). The
 * daily counts and every report rollup were written when the events arrived and stay as they are. Stored credits keep their own evidence, so re-attributing an old
 * order after its events are purged keeps them (docs/attribution.md, docs/privacy.md).
 */
export async function purgeRawEvents(db: Db, { now, retentionDays }: { now: Date; retentionDays: number }): Promise<EventPurge> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  let events = 0;
  for (;;) {
    const { numAffectedRows } = await sql`
      delete from storefront_events where (shop, id) in (
        select shop, id from storefront_events where occurred_at < ${before} limit ${BATCH})`.execute(db);
    events += Number(numAffectedRows ?? 0);
    if (Number(numAffectedRows ?? 0) < BATCH) break;
  }
  let receipts = 0;
  for (;;) {
    const { numAffectedRows } = await sql`
      delete from storefront_event_receipts where (shop, id) in (
        select shop, id from storefront_event_receipts where received_at < ${before} limit ${BATCH})`.execute(db);
    receipts += Number(numAffectedRows ?? 0);
    if (Number(numAffectedRows ?? 0) < BATCH) break;
  }
  return { before, events, receipts };
}
