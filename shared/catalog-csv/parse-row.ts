import { toMinorUnits } from '../money';
import type { RowOutcome, SkipReason } from './retail-row';

/** Every amount in the Online Retail II data is in pounds sterling. */
export const RETAIL_CURRENCY = 'GBP';

export const RETAIL_COLUMNS = [
  'invoice',
  'stock_code',
  'description',
  'quantity',
  'invoice_date',
  'unit_price',
  'customer_id',
  'country',
] as const;
export type RetailColumn = (typeof RETAIL_COLUMNS)[number];

/** Quantities are stored as PostgreSQL integer: a line past it cannot be stored (nor is it real). */
const MAX_QUANTITY = 2_147_483_647;

/**
 * The largest line total kept, in pence (£10 billion): far above any real line, and low enough
 * that an invoice's lines sum exactly (a safe integer) however many there are in practice.
 */
export const MAX_LINE_TOTAL_MINOR = 1e12;

const DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2010-02-30 over to March: a round trip catches impossible dates.
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}

const skip = (line: number, reason: SkipReason, detail: string): RowOutcome => ({ ok: false, skip: { line, reason, detail } });

/**
 * A customer_id field: the customer number as a decimal string, null for a guest (empty or
 * `nan`), undefined when it is neither. The public Parquet copy stored customer ids as floats;
 * "13085.0" is customer 13085.
 */
export function parseCustomerId(raw: string | undefined): string | null | undefined {
  const text = (raw ?? '').trim();
  if (!text || text.toLowerCase() === 'nan') return null;
  const customer = /^(\d+)(?:\.0+)?$/.exec(text);
  return customer ? String(Number(customer[1])) : undefined;
}
/**
 * Validates one record (fields by column name) into a typed row, or says why it is unusable.
 * Pure, so the rules are testable one by one; the first failing check wins.
 */
export function parseRetailRecord(fields: Record<RetailColumn, string | undefined>, line: number): RowOutcome {
  const invoice = (fields.invoice ?? '').trim().toUpperCase();
  if (!invoice) return skip(line, 'missing_invoice', 'empty invoice');
  if (!/^[A-Z]?\d+$/.test(invoice)) return skip(line, 'bad_invoice', JSON.stringify(fields.invoice));

  const stockCode = (fields.stock_code ?? '').trim().toUpperCase();
  if (!stockCode) return skip(line, 'missing_stock_code', 'empty stock_code');

  const quantityText = (fields.quantity ?? '').trim();
  const quantity = /^-?\d+$/.test(quantityText) ? Number(quantityText) : NaN;
  if (!Number.isSafeInteger(quantity) || quantity === 0 || Math.abs(quantity) > MAX_QUANTITY) return skip(line, 'bad_quantity', JSON.stringify(fields.quantity));

  const invoiceDate = (fields.invoice_date ?? '').trim();
  if (!validDate(invoiceDate)) return skip(line, 'bad_date', JSON.stringify(fields.invoice_date));

  const priceText = (fields.unit_price ?? '').trim();
  let unitPriceMinor: number;
  try {
    unitPriceMinor = toMinorUnits(priceText, RETAIL_CURRENCY);
  } catch {
    return skip(line, 'bad_price', `${JSON.stringify(fields.unit_price)} is not an amount in whole pence`);
  }
  if (unitPriceMinor < 0) return skip(line, 'bad_price', `negative price ${priceText}`);
  if (Math.abs(quantity) * unitPriceMinor > MAX_LINE_TOTAL_MINOR) return skip(line, 'bad_price', `line total ${quantity} × ${priceText} is out of range`);

  const customerId = parseCustomerId(fields.customer_id);
  if (customerId === undefined) return skip(line, 'bad_customer_id', JSON.stringify(fields.customer_id));

  const description = (fields.description ?? '').trim();
  return {
    ok: true,
    row: {
      line,
      invoice,
      stockCode,
      description: description.toLowerCase() === 'nan' ? '' : description,
      quantity,
      invoiceDate,
      unitPriceMinor,
      customerId,
      country: (fields.country ?? '').trim(),
    },
  };
}
