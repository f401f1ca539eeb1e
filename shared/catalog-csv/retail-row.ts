/**
 * One valid line of an Online Retail II layout file (columns `invoice, stock_code, description,
 * quantity, invoice_date, unit_price, customer_id, country`), typed and normalised.
 */
export interface RetailRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  /** As written, upper-cased: `489434`, or `C489449` for a cancellation. */
  invoice: string;
  /** Upper-cased and trimmed, so `79323p` and `79323P` are one product. */
  stockCode: string;
  /** Trimmed; empty when the file has none (the source writes `nan` for missing ones). */
  description: string;
  /** Units; never 0. Negative on cancellations and stock adjustments. */
  quantity: number;
  /** Shop-local wall-clock time as written, `YYYY-MM-DDTHH:MM:SS` (compares as text). */
  invoiceDate: string;
  /** Unit price in integer minor units (pence); never negative. */
  unitPriceMinor: number;
  /** Digits only, or null for a guest order. */
  customerId: string | null;
  country: string;
}

/** Why a line did not become part of an order, a product or a refund. */
export type SkipReason =
  | 'malformed_csv'
  | 'missing_invoice'
  | 'bad_invoice'
  | 'missing_stock_code'
  | 'bad_quantity'
  | 'bad_date'
  | 'bad_price'
  | 'bad_customer_id'
  | 'stock_adjustment'
  | 'unknown_invoice_type'
  | 'cancellation_positive_quantity'
  | 'cancellation_guest'
  | 'cancellation_no_original';

export interface SkippedRow {
  line: number;
  reason: SkipReason;
  /** Human detail, e.g. the offending value. */
  detail: string;
}

export type RowOutcome = { ok: true; row: RetailRow } | { ok: false; skip: SkippedRow };

/**
 * A stock code names a product when it starts with five digits; the others (POST, DOT, M, D,
 * BANK CHARGES, C2, gift vouchers, ...) are postage, fees and adjustments.
 */
export function isProductCode(stockCode: string): boolean {
  return /^\d{5}/.test(stockCode);
}

export function isCancellationInvoice(invoice: string): boolean {
  return invoice.startsWith('C');
}
