import { isCancellationInvoice, type RetailRow, type SkippedRow } from './retail-row';

/**
 * Which valid rows take part in orders and refunds. A sale is a positive quantity on a
 * numeric invoice; a cancellation line is a negative quantity on a `C` invoice of a known
 * customer (a guest's cancellation names no one whose order it could undo).
 * Negative quantities on ordinary invoices are the warehouse's write-offs ("damaged",
 * "short", price 0, no customer): stock movements, not sales, so they are skipped.
 */
export function classifyRow(row: RetailRow): SkippedRow | null {
  const { line } = row;
  if (isCancellationInvoice(row.invoice)) {
    if (row.quantity > 0) return { line, reason: 'cancellation_positive_quantity', detail: `${row.invoice} quantity ${row.quantity}` };
    if (!row.customerId) return { line, reason: 'cancellation_guest', detail: `${row.invoice} has no customer` };
    return null;
  }
  if (!/^\d/.test(row.invoice)) return { line, reason: 'unknown_invoice_type', detail: row.invoice };
  if (row.quantity < 0) return { line, reason: 'stock_adjustment', detail: `${row.stockCode} quantity ${row.quantity}` };
  return null;
}
