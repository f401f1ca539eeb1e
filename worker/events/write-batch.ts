import { sql } from 'kysely';
import type { Db } from '../../shared/db';
import type { StorefrontEventEntry } from '../../shared/tracking';
import { chargeSponsoredClicks, noCharges, type SponsoredClicksCharged } from './charge-clicks';
import { dailyCounts, type DailyCount } from './daily-counts';
import { eventDaily, eventDailyKey } from './event-daily';
import { sponsoredCountKey, sponsoredCounts } from './sponsored-counts';

export interface BatchWritten {
  /** Events received for the first time: counted, and kept as rows when consented. */
  stored: number;
  /** Events whose receipt already existed (a redelivery): nothing written for them. */
  duplicates: number;
  /** The new sponsored clicks considered for a charge (docs/sponsored.md, Charging). */
  sponsored: SponsoredClicksCharged;
}

/**
 * Writes a batch of events in one transaction. The receipt (shop, id) decides: only events whose
 * receipt is new add to the daily counts and, with consent, get their own row. Writing the same
 * batch again (a redelivery after a crash before XACK) therefore changes nothing. The new
 * sponsored clicks are charged in the same transaction: a click's charge commits with its receipt.
 *
 * The same new events add to the product-less daily rows (storefront_event_daily) and, for
 * sponsored slots, to their campaign's daily counts (sponsored_event_daily).
 *
 * Several consumers write at once, so every kind of row is locked in one fixed order (receipts,
 * counts, event daily rows, sponsored counts, then campaigns, each sorted by key): two batches touching the same rows then queue
 * behind each other instead of deadlocking.
 */
export async function writeEventBatch(db: Db, entries: readonly StorefrontEventEntry[]): Promise<BatchWritten> {
  const unique = new Map<string, StorefrontEventEntry>();
  for (const e of entries) if (!unique.has(receiptKey(e))) unique.set(receiptKey(e), e);
  const events = [...unique.values()];
  if (!events.length) return { stored: 0, duplicates: entries.length, sponsored: noCharges() };

  return db.transaction().execute(async (trx) => {
    const received = await trx
      .insertInto('storefront_event_receipts')
      .values(sortedBy(events, receiptKey).map((e) => ({ shop: e.shop, id: e.id, received_at: new Date(e.received_at) })))
      .onConflict((oc) => oc.columns(['shop', 'id']).doNothing())
      .returning(['shop', 'id'])
      .execute();
    const isNew = new Set(received.map(receiptKey));
    const fresh = events.filter((e) => isNew.has(receiptKey(e)));
    const counts = sortedBy(dailyCounts(fresh), countKey);
    if (counts.length) {
      await trx
        .insertInto('storefront_event_counts')
        // The column is bigint: the count travels as its decimal text.
        .values(counts.map((c) => ({ ...c, count: String(c.count) })))
        .onConflict((oc) =>
          oc
            .columns(['shop', 'day', 'placement', 'type', 'product_id', 'model_version', 'sponsored'])
            .doUpdateSet({ count: sql`storefront_event_counts.count + excluded.count` }),
        )
        .execute();
      // The same counts without the product, for the reports (docs/reports.md).
      await trx
        .insertInto('storefront_event_daily')
        .values(sortedBy(eventDaily(counts), eventDailyKey))
        .onConflict((oc) =>
          oc.columns(['shop', 'day', 'placement', 'model_version', 'sponsored']).doUpdateSet({
            impressions: sql`storefront_event_daily.impressions + excluded.impressions`,
            clicks: sql`storefront_event_daily.clicks + excluded.clicks`,
            add_to_carts: sql`storefront_event_daily.add_to_carts + excluded.add_to_carts`,
          }),
        )
        .execute();
    }
    const sponsoredRows = sortedBy(sponsoredCounts(fresh), sponsoredCountKey);
    if (sponsoredRows.length) {
      await trx
        .insertInto('sponsored_event_daily')
        .values(sponsoredRows)
        .onConflict((oc) =>
          oc.columns(['shop', 'day', 'campaign_id', 'placement', 'product_id']).doUpdateSet({
            impressions: sql`sponsored_event_daily.impressions + excluded.impressions`,
            clicks: sql`sponsored_event_daily.clicks + excluded.clicks`,
            add_to_carts: sql`sponsored_event_daily.add_to_carts + excluded.add_to_carts`,
          }),
        )
        .execute();
    }
    // Only consented events are kept one by one; the others live on in the counts alone.
    const rows = fresh.filter((e) => e.consent);
    if (rows.length) {
      await trx
        .insertInto('storefront_events')
        .values(
          rows.map((e) => ({
            shop: e.shop,
            id: e.id,
            type: e.type,
            occurred_at: new Date(e.occurred_at),
            received_at: new Date(e.received_at),
            visitor_key: e.visitor_key,
            customer_key: e.customer_key,
            impression_id: e.impression_id,
            placement: e.placement,
            product_id: e.product_id,
            position: e.position,
            model_version: e.model_version,
            sponsored: e.sponsored,
            token: e.token,
            variant_id: e.variant_id ?? null,
            quantity: e.quantity ?? null,
          })),
        )
        .onConflict((oc) => oc.columns(['shop', 'id']).doNothing())
        .execute();
    }
    const sponsored = await chargeSponsoredClicks(trx, fresh);
    return { stored: fresh.length, duplicates: entries.length - fresh.length, sponsored };
  });
}

function receiptKey(e: { shop: string; id: string }): string {
  return `${e.shop}\u0000${e.id}`;
}

function countKey(c: DailyCount): string {
  return [c.shop, c.day, c.placement, c.type, c.product_id, c.model_version, c.sponsored ? '1' : '0'].join('\u0000');
}

/** A copy in code-unit order of the key: the same order in every process. */
function sortedBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, k: key(item) }))
    .sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0))
    .map((x) => x.item);
}
