/** Why the protocol's cleaning drops a row, in the order the rules apply. */
export type DropReason = 'malformed' | 'cancellation' | 'not_a_product' | 'non_positive_quantity_or_price';

/** A row the protocol keeps; a null customer is a guest order (a basket, not an interaction). */
export interface CleanPurchase {
  invoice: string;
  stockCode: string;
  customerId: string | null;
  /** Seconds since 1970 of the shop-local wall-clock time read as if it were UTC. */
  time: number;
  /** The row's product text (Online Retail `description`), trimmed; '' when missing. */
  description: string;
}

export type CleanOutcome = { kept: true; purchase: CleanPurchase } | { kept: false; reason: DropReason };

const DATE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Shop-local `YYYY-MM-DDTHH:MM:SS` as seconds on a zone-free clock. The windows are 30 days of
 * wall-clock time, so reading local time as UTC keeps every day 86,400 s long; NaN if unreadable.
 */
export function wallClockSeconds(text: string): number {
  const m = DATE.exec(text.trim());
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const probe = new Date(ms);
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return NaN;
  return ms / 1000;
}

export function formatWallClock(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}

const MISSING = new Set(['', 'nan', 'none', 'null']);

export interface RawPurchaseFields {
  invoice: string | undefined;
  stock_code: string | undefined;
  quantity: string | undefined;
  invoice_date: string | undefined;
  unit_price: string | undefined;
  customer_id: string | undefined;
  description?: string | undefined;
}

/**
 * The cleaning rules of docs/evaluation.md, in its order: cancellations (`C` invoices) out;
 * a missing customer id makes a guest row, kept only as part of its basket; stock codes not
 * starting with five digits out; quantity <= 0 or unit price <= 0 out. Deliberately not the
 * importer's parseRetailRecord: that one rejects sub-penny prices (e.g. 0.001) the protocol keeps.
 */
export function cleanRow(fields: RawPurchaseFields, dateCache?: Map<string, number>): CleanOutcome {
  const invoice = (fields.invoice ?? '').trim().toUpperCase();
  if (!invoice) return { kept: false, reason: 'malformed' };
  if (invoice.startsWith('C')) return { kept: false, reason: 'cancellation' };
  const customerText = (fields.customer_id ?? '').trim();
  // The public Parquet copy wrote customer ids as floats: "13085.0" is customer 13085.
  const customerId = MISSING.has(customerText.toLowerCase()) ? null : customerText.replace(/\.0+$/, '');
  const stockCode = (fields.stock_code ?? '').trim().toUpperCase();
  if (!/^\d{5}/.test(stockCode)) return { kept: false, reason: 'not_a_product' };
  const quantity = Number((fields.quantity ?? '').trim() || NaN);
  const price = Number((fields.unit_price ?? '').trim() || NaN);
  if (Number.isNaN(quantity) || Number.isNaN(price)) return { kept: false, reason: 'malformed' };
  if (quantity <= 0 || price <= 0) return { kept: false, reason: 'non_positive_quantity_or_price' };
  const dateText = fields.invoice_date ?? '';
  let time = dateCache?.get(dateText);
  if (time === undefined) {
    time = wallClockSeconds(dateText);
    dateCache?.set(dateText, time);
  }
  if (Number.isNaN(time)) return { kept: false, reason: 'malformed' };
  return { kept: true, purchase: { invoice, stockCode, customerId, time, description: (fields.description ?? '').trim() } };
}
