import type { Db } from '../../shared/db';
import type { RefundRecord } from './records';

type Writer = Pick<Db, 'insertInto'>;

/**
 * Refunds are immutable in Shopify: a refund id seen once is never different, so inserting
 * with ON CONFLICT DO NOTHING makes refunds/create and an order's `refunds` list agree.
 */
export async function applyRefund(db: Writer, r: RefundRecord): Promise<void> {
  await db
    .insertInto('refunds')
    .values({ shop: r.shop, id: r.id, order_id: r.orderId, created_at: r.createdAt })
    .onConflict((oc) => oc.doNothing())
    .execute();
  if (!r.lineItems.length) return;
  await db
    .insertInto('refund_line_items')
    .values(
      r.lineItems.map((li) => ({
        shop: r.shop,
        refund_id: r.id,
        line_item_id: li.lineItemId,
        order_id: r.orderId,
        quantity: li.quantity,
        subtotal_minor: li.subtotalMinor,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}
