import type { LineCredit } from '../../shared/attribution';
import type { Insertable, Selectable } from 'kysely';
import type { OrderAttributionsTable, OrderRevenueTable } from '../../shared/db';

type CreditRow = Insertable<OrderAttributionsTable>;
/** A stored credit; read as json its timestamps are ISO text, its int8 columns numbers. */
export type StoredCredit = Omit<Selectable<OrderAttributionsTable>, 'touched_at' | 'order_created_at' | 'computed_at'> & { touched_at: Date | string; order_created_at: Date | string; computed_at: Date | string };
type RevenueRow = Insertable<OrderRevenueTable>;
/** A stored order_revenue row, read as a row or as json (timestamps as ISO text). */
export type StoredRevenue = Omit<Selectable<OrderRevenueTable>, 'order_created_at' | 'computed_at'> & { order_created_at: Date | string; computed_at: Date | string };

/** What one re-attribution changes, so that only those rows and rollup keys are written. */
export interface AttributionChanges {
  /** Line item ids whose credit is gone. */
  removedLineItems: string[];
  /** New or changed credit rows (unchanged ones are not rewritten: no churn on redelivery). */
  writtenCredits: CreditRow[];
  /** 'write' the new order_revenue row, 'delete' the old one, or leave it ('keep'). */
  revenue: 'write' | 'delete' | 'keep';
}

export function creditRow(shop: string, orderId: string, c: LineCredit, computedAt: Date): CreditRow {
  return {
    shop,
    order_id: orderId,
    line_item_id: c.lineItemId,
    source: c.source,
    token: c.token,
    event_id: c.eventId,
    impression_id: c.impressionId,
    placement: c.placement,
    product_id: c.productId,
    sponsored: c.sponsored,
    campaign_id: c.campaignId,
    model_version: c.modelVersion,
    touched_at: new Date(c.touchedAtMs),
    net_minor: c.netMinor,
    currency: c.currency,
    presentment_currency: c.presentmentCurrency,
    order_created_at: c.orderCreatedAt,
    day: c.day,
    computed_at: computedAt,
  };
}

function ms(value: Date | string): number {
  return new Date(value).getTime();
}

/** Same credit in every stored column but computed_at (ids compared as decimal strings). */
function sameCredit(a: StoredCredit, b: CreditRow): boolean {
  return (
    a.order_id === b.order_id &&
    a.source === b.source &&
    a.token === b.token &&
    a.event_id === (b.event_id ?? null) &&
    a.impression_id === b.impression_id &&
    a.placement === b.placement &&
    a.product_id === b.product_id &&
    a.sponsored === b.sponsored &&
    (a.campaign_id === null ? null : String(a.campaign_id)) === (b.campaign_id === null || b.campaign_id === undefined ? null : String(b.campaign_id)) &&
    a.model_version === (b.model_version ?? null) &&
    ms(a.touched_at) === ms(b.touched_at) &&
    Number(a.net_minor) === Number(b.net_minor) &&
    a.currency === b.currency &&
    a.presentment_currency === (b.presentment_currency ?? null) &&
    ms(a.order_created_at) === ms(b.order_created_at) &&
    a.day === b.day
  );
}

function sameRevenue(a: StoredRevenue, b: RevenueRow): boolean {
  return (
    a.day === b.day &&
    a.currency === b.currency &&
    a.presentment_currency === (b.presentment_currency ?? null) &&
    Number(a.net_minor) === Number(b.net_minor) &&
    Number(a.attributed_minor) === Number(b.attributed_minor) &&
    Number(a.recommendation_minor) === Number(b.recommendation_minor) &&
    Number(a.sponsored_minor) === Number(b.sponsored_minor) &&
    a.has_recommendation === b.has_recommendation &&
    a.visitor_key === (b.visitor_key ?? null) &&
    a.customer_key === (b.customer_key ?? null) &&
    ms(a.order_created_at) === ms(b.order_created_at)
  );
}

/**
 * Compares the order's stored credits and order_revenue row with the ones computed now: only
 * new and changed rows are written, so a redelivery that changes nothing writes nothing (its
 * rollup change is rollupDeltas').
 */
export function attributionChanges(input: {
  before: readonly StoredCredit[];
  after: readonly CreditRow[];
  revenueBefore: StoredRevenue | undefined;
  revenueAfter: RevenueRow | null;
}): AttributionChanges {
  const old = new Map(input.before.map((r) => [r.line_item_id, r]));
  const writtenCredits: CreditRow[] = [];
  for (const row of input.after) {
    const prior = old.get(row.line_item_id);
    old.delete(row.line_item_id);
    if (prior && sameCredit(prior, row)) continue;
    writtenCredits.push(row);
  }

  const { revenueBefore: was, revenueAfter: now } = input;
  const revenue = now ? (was && sameRevenue(was, now) ? 'keep' : 'write') : was ? 'delete' : 'keep';
  return { removedLineItems: [...old.keys()], writtenCredits, revenue };
}
