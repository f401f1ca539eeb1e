import path from 'node:path';

const dir = path.join(__dirname, '..', '..', 'fixtures');

/** 25 hand-made lines: good rows, one of every kind of bad row, cancellations and an out-of-place line. */
export const BAD_ROWS_CSV = path.join(dir, 'online-retail-bad-rows.csv');
/** The header and the first 5,000 data lines of the real development file, gzipped. */
export const FIRST_5000_GZ = path.join(dir, 'online-retail-ii-first-5000.csv.gz');

/**
 * Known figures of FIRST_5000_GZ, computed independently (Python over the same lines): orders
 * are numeric invoices with a positive-quantity line, products five-digit stock codes upper-cased.
 */
export const FIRST_5000 = {
  rowsRead: 5000,
  products: 1603,
  orders: 206,
  cancellationInvoices: 48,
  customers: 162,
  lineItems: 4866,
  /** Sum of quantity x unit price over all line items, in pence. */
  totalMinor: 9_360_297,
  stockAdjustments: 10,
  refunds: 3,
  refundLineItems: 11,
} as const;
