import { fromMinorUnits } from '../money';
import { purchaseKey, type InvoiceSummary } from './catalog-plan';
import { orderId, refundId, refundLineItemId } from './ids';
import { RETAIL_CURRENCY } from './parse-row';
import type { RetailRow, SkippedRow } from './retail-row';
import { shopLocalTimestamp } from './shop-time';
import type { OrderWebhookPayload, RefundWebhookPayload } from './shopify-payloads';

interface Purchase {
  invoice: string;
  createdLocal: string;
  lineItemId: number;
  priceMinor: number;
  /** Units not yet refunded. */
  remaining: number;
}

/**
 * Finds the order a cancellation undoes. A `C` invoice names no original, so each of its lines
 * goes to the same customer's most recent earlier order that bought that stock code and still
 * has at least that many units unrefunded; lines with no such order are skipped. Matched lines
 * are grouped into one refund per original order, refunded at the original line's price (what
 * Shopify refunds), and the units are used up so they cannot be refunded twice.
 *
 * Only purchases whose (customer, stock code) some cancellation mentions are remembered, so
 * memory follows the number of cancellations, not the size of the file.
 */
export class CancellationMatcher {
  private readonly purchases = new Map<string, Purchase[]>();

  constructor(private readonly watched: ReadonlySet<string>) {}

  /** Call for every order, in time order, before any cancellation that may refer to it. */
  rememberOrder(invoice: InvoiceSummary, rows: readonly RetailRow[], order: OrderWebhookPayload): void {
    if (!invoice.customerId) return;
    rows.forEach((row, index) => {
      const key = purchaseKey(invoice.customerId!, row.stockCode);
      if (!this.watched.has(key)) return;
      const list = this.purchases.get(key) ?? [];
      list.push({
        invoice: invoice.invoice,
        createdLocal: invoice.createdLocal,
        lineItemId: order.line_items[index]!.id,
        priceMinor: row.unitPriceMinor,
        remaining: row.quantity,
      });
      this.purchases.set(key, list);
    });
  }

  private find(customer: string, row: RetailRow, before: string): Purchase | undefined {
    const list = this.purchases.get(purchaseKey(customer, row.stockCode)) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const p = list[i]!;
      if (p.createdLocal <= before && p.remaining >= -row.quantity) return p;
    }
    return undefined;
  }

  /** The refunds/create payloads one cancellation invoice becomes, and the lines it could not place. */
  cancel(invoice: InvoiceSummary, rows: readonly RetailRow[]): { refunds: RefundWebhookPayload[]; skipped: SkippedRow[] } {
    const skipped: SkippedRow[] = [];
    const byOrder = new Map<string, Map<number, { purchase: Purchase; quantity: number; line: number }>>();
    for (const row of rows) {
      const purchase = invoice.customerId ? this.find(invoice.customerId, row, invoice.createdLocal) : undefined;
      if (!purchase) {
        skipped.push({
          line: row.line,
          reason: 'cancellation_no_original',
          detail: `${invoice.invoice}: no earlier order of customer ${invoice.customerId} with ${-row.quantity} x ${row.stockCode} left to refund`,
        });
        continue;
      }
      purchase.remaining += row.quantity;
      const lines = byOrder.get(purchase.invoice) ?? new Map();
      const entry = lines.get(purchase.lineItemId);
      // Two cancelled rows of one original line make one refund line: Shopify keys them by line item.
      if (entry) entry.quantity += -row.quantity;
      else lines.set(purchase.lineItemId, { purchase, quantity: -row.quantity, line: row.line });
      byOrder.set(purchase.invoice, lines);
    }
    const createdAt = shopLocalTimestamp(invoice.createdLocal);
    const refunds = [...byOrder].map(([original, lines]): RefundWebhookPayload => ({
      id: refundId(invoice.invoice, original),
      order_id: orderId(original),
      created_at: createdAt,
      processed_at: createdAt,
      note: `Cancellation ${invoice.invoice}`,
      restock: true,
      refund_line_items: [...lines.values()].map(({ purchase, quantity, line }) => {
        const amount = fromMinorUnits(purchase.priceMinor * quantity, RETAIL_CURRENCY);
        const money = { amount, currency_code: RETAIL_CURRENCY };
        return {
          id: refundLineItemId(invoice.invoice, line),
          line_item_id: purchase.lineItemId,
          quantity,
          restock_type: 'cancel' as const,
          subtotal: amount,
          subtotal_set: { shop_money: money, presentment_money: money },
        };
      }),
      transactions: [],
    }));
    return { refunds, skipped };
  }
}
