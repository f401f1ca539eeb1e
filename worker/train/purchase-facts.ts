import type { PurchaseLog } from '../recommend/evaluation';

/** Length of the published `popular` list. */
export const POPULAR_LIST_LENGTH = 100;
/** Distinct products kept per customer in the published purchase history. */
export const HISTORY_LENGTH = 5;

/**
 * The all-time best sellers: products by the number of orders that bought them (an order buying
 * a product on two lines counts once), most first, ties by first appearance in the log. One pass
 * over the log and a sort of the bought products: nothing next to the fit's cost.
 */
export function popularProducts(log: PurchaseLog, k = POPULAR_LIST_LENGTH): string[] {
  const items = log.stockCodes.length;
  const orders = new Int32Array(items);
  const lastInvoice = new Int32Array(items).fill(-1);
  for (let row = 0; row < log.item.length; row++) {
    const item = log.item[row]!;
    const invoice = log.invoice[row]!;
    if (lastInvoice[item] === invoice) continue;
    lastInvoice[item] = invoice;
    orders[item]!++;
  }
  const ranked = Array.from({ length: items }, (_, i) => i).filter((i) => orders[i]! > 0);
  ranked.sort((a, b) => orders[b]! - orders[a]! || a - b);
  return ranked.slice(0, k).map((i) => log.stockCodes[i]!);
}

/**
 * Each customer's most recent distinct purchases, newest first (ties in time: the later row), at
 * most `length`: what the storefront may name in "Because you bought …". Guest rows have no
 * customer and are skipped. One backwards pass over the log (tens of milliseconds for 500,000 rows).
 */
export function purchaseHistories(log: PurchaseLog, length = HISTORY_LENGTH): Record<string, string[]> {
  const n = log.item.length;
  // The snapshot's rows come in time order: walk them backwards as they are. Any other log is
  // put in order first (a stable sort: equal times keep their row order).
  let ordered = true;
  for (let row = 1; row < n && ordered; row++) ordered = log.time[row - 1]! <= log.time[row]!;
  const order = ordered ? null : Array.from({ length: n }, (_, i) => i).sort((a, b) => log.time[a]! - log.time[b]!);
  const kept = new Map<number, number[]>();
  for (let at = n - 1; at >= 0; at--) {
    const row = order ? order[at]! : at;
    const customer = log.customer[row]!;
    if (customer < 0) continue;
    let items = kept.get(customer);
    if (!items) kept.set(customer, (items = []));
    const item = log.item[row]!;
    if (items.length < length && !items.includes(item)) items.push(item);
  }
  const histories: Record<string, string[]> = {};
  for (const [customer, items] of kept) histories[log.customerIds[customer]!] = items.map((i) => log.stockCodes[i]!);
  return histories;
}
