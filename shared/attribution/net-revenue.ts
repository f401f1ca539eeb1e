/** What the net revenue of one order line is made of, all integer minor units of the order currency. */
export interface LineAmounts {
  /** Unit price. */
  priceMinor: number;
  quantity: number;
  /** Discounts allocated to the line (all units together). */
  totalDiscountMinor: number;
  /** Sum of the refund line subtotals of this line (refunds exclude shipping and tax). */
  refundedMinor: number;
}

/** What can make an order earn nothing: Shopify's test orders and cancelled orders. */
export interface OrderStanding {
  test: boolean;
  cancelledAt: Date | null;
}

/** Money in minor units must stay an exact integer: beyond 2^53 a JS number would round. */
function exact(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} is not an exact integer of minor units: ${value}`);
  return value;
}

/**
 * Net revenue of one line: price × quantity − the line's discounts − what was refunded of it,
 * never below 0. Shipping and tax are never part of it (they are not line amounts, and refund
 * line subtotals exclude tax).
 */
export function lineNetMinor(line: LineAmounts): number {
  const gross = exact(exact(line.priceMinor, 'price') * exact(line.quantity, 'quantity'), 'line total');
  const net = exact(gross - exact(line.totalDiscountMinor, 'discount') - exact(line.refundedMinor, 'refund'), 'line net');
  return net > 0 ? net : 0;
}

/** A cancelled or test order earns nothing and is credited to nothing. */
export function orderCounts(order: OrderStanding): boolean {
  return !order.test && order.cancelledAt === null;
}

/** The order's net line revenue: the most its attributed revenue can ever be. */
export function orderNetLineMinor(order: OrderStanding, lines: readonly LineAmounts[]): number {
  if (!orderCounts(order)) return 0;
  return lines.reduce((sum, line) => exact(sum + lineNetMinor(line), 'order net'), 0);
}
