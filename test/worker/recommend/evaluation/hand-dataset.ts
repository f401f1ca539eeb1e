import { PurchaseLogBuilder, type PurchaseLog } from '../../../../worker/recommend/evaluation';

type Line = [invoice: string, stockCode: string, quantity: string, date: string, price: string, customer: string];

/**
 * A store small enough to rank by hand. Items A=10001 B=10002 C=10003 D=10004 E=10005.
 * end = 2024-03-31T12:00:00 (invoice 11); test window (2024-03-01T12:00:00, end];
 * validation window (2024-01-31T12:00:00, 2024-03-01T12:00:00].
 */
export const HAND_LINES: Line[] = [
  // training
  ['1', '10001', '1', '2024-02-01T10:00:00', '1.00', '1'], // u1 A
  ['1', '10002', '2', '2024-02-01T10:00:00', '1.00', '1'], // u1 B
  ['2', '10001', '1', '2024-02-10T10:00:00', '1.00', '1'], // u1 A
  ['2', '10001', '3', '2024-02-10T10:00:00', '1.00', '1'], // u1 A again on the same invoice: still one invoice
  ['2', '10003', '1', '2024-02-10T10:00:00', '1.00', '1.0'], // u1 C ("1.0" is customer 1)
  ['3', '10002', '1', '2024-02-05T10:00:00', '1.00', '2'], // u2 B
  ['3', '10003', '1', '2024-02-05T10:00:00', '0.001', '2'], // u2 C, a sub-penny price is still > 0
  ['4', '10001', '1', '2024-03-01T12:00:00', '1.00', '3'], // u3 A exactly at the test window start: training
  ['4', '10004', '1', '2024-03-01T12:00:00', '1.00', '3'], // u3 D
  ['5', '10003', '1', '2024-02-20T10:00:00', '1.00', ''], // guest basket C D: fbt training only
  ['5', '10004', '1', '2024-02-20T10:00:00', '1.00', 'nan'],
  // dropped
  ['C6', '10005', '-1', '2024-02-06T10:00:00', '1.00', '2'], // cancellation
  ['7', 'POST', '1', '2024-02-07T10:00:00', '18.00', '2'], // not a product
  ['8', '10005', '0', '2024-02-08T10:00:00', '1.00', '2'], // quantity 0
  ['9', '10005', '1', '2024-02-09T10:00:00', '-1.00', '3'], // negative price
  ['C15', '10001', '-1', '2024-04-05T10:00:00', '1.00', '1'], // a later cancellation does not move `end`
  // test window
  ['10', '10001', '1', '2024-03-01T12:00:01', '1.00', '1'], // u1 A (re-order)
  ['10', '10004', '1', '2024-03-01T12:00:01', '1.00', '1'], // u1 D (new)
  ['11', '10002', '1', '2024-03-31T12:00:00', '1.00', '2'], // u2 B at `end`: test
  ['11', '10001', '1', '2024-03-31T12:00:00', '1.00', '2'], // u2 A (new)
  ['11', '10005', '1', '2024-03-31T12:00:00', '1.00', '2'], // E is not in the catalog
  ['12', '10003', '1', '2024-03-15T10:00:00', '1.00', '4'], // u4 has no training: basket only
  ['12', '10002', '1', '2024-03-15T10:00:00', '1.00', '4'],
  ['13', '10001', '1', '2024-03-20T10:00:00', '1.00', '3'], // u3 A: a re-order only, so not in `new`
  ['14', '10004', '1', '2024-03-25T10:00:00', '1.00', ''], // guest D E: one catalog item, no fbt query
  ['14', '10005', '1', '2024-03-25T10:00:00', '1.00', ''],
];

export function handLog(): PurchaseLog {
  const builder = new PurchaseLogBuilder();
  for (const [invoice, stock_code, quantity, invoice_date, unit_price, customer_id] of HAND_LINES) {
    builder.addRaw({ invoice, stock_code, quantity, invoice_date, unit_price, customer_id });
  }
  return builder.build();
}

/** Catalog indices, in order of first appearance in training. */
export const A = 0;
export const B = 1;
export const C = 2;
export const D = 3;
