import { classifyRow } from './classify-row';
import { readRetailRows, type ReadRetailRowsOptions } from './read-rows';
import { isCancellationInvoice, isProductCode, type RetailRow } from './retail-row';
import { SkipReport } from './skip-report';

/** What the file says about one product, kept as it streams by. */
export interface ProductAggregate {
  stockCode: string;
  /** Most recent non-empty description of a sale; empty if it never had one. */
  title: string;
  /** Most recent positive unit price of a sale, in pence; 0 if it was only ever given away. */
  priceMinor: number;
  /** Shop-local time of its first and latest sale. */
  firstSold: string;
  lastSold: string;
  /** (date, line) of the title and price kept, so "most recent" does not depend on file order. */
  titleAt: string;
  priceAt: string;
}

/** What the file says about one invoice, without its lines. */
export interface InvoiceSummary {
  invoice: string;
  cancellation: boolean;
  /** Earliest invoice_date among its kept lines, shop-local. */
  createdLocal: string;
  /** First non-empty customer id among its lines (in file order), or null for a guest. */
  customerId: string | null;
  /** Line number of its last kept line: the invoice is complete once the reader passes it. */
  lastLine: number;
  keptLines: number;
}

export interface CatalogPlan {
  source: ReadRetailRowsOptions;
  products: Map<string, ProductAggregate>;
  invoices: Map<string, InvoiceSummary>;
  /** `customer|stock code` pairs that some cancellation refers to: the only purchases to index. */
  cancelledPairs: Set<string>;
  /** Customers with at least one order. */
  customers: Set<string>;
  skips: SkipReport;
  /** Data lines read (header excluded), and lines that became part of an order or refund. */
  rowsRead: number;
  rowsKept: number;
}

export const purchaseKey = (customerId: string, stockCode: string) => `${customerId}|${stockCode}`;

/** `(date, line)` as one string that sorts in time order, ties by position in the file. */
const when = (row: RetailRow) => `${row.invoiceDate}#${String(row.line).padStart(10, '0')}`;

function noteProductSale(products: Map<string, ProductAggregate>, row: RetailRow): void {
  const at = when(row);
  let p = products.get(row.stockCode);
  if (!p) {
    p = { stockCode: row.stockCode, title: '', priceMinor: 0, firstSold: row.invoiceDate, lastSold: row.invoiceDate, titleAt: '', priceAt: '' };
    products.set(row.stockCode, p);
  }
  if (row.invoiceDate < p.firstSold) p.firstSold = row.invoiceDate;
  if (row.invoiceDate > p.lastSold) p.lastSold = row.invoiceDate;
  if (row.description && at > p.titleAt) {
    p.title = row.description;
    p.titleAt = at;
  }
  // A free line (price 0) is a giveaway, not the product's price.
  if (row.unitPriceMinor > 0 && at > p.priceAt) {
    p.priceMinor = row.unitPriceMinor;
    p.priceAt = at;
  }
}

function noteInvoiceLine(invoices: Map<string, InvoiceSummary>, row: RetailRow): void {
  const s = invoices.get(row.invoice);
  if (!s) {
    invoices.set(row.invoice, {
      invoice: row.invoice,
      cancellation: isCancellationInvoice(row.invoice),
      createdLocal: row.invoiceDate,
      customerId: row.customerId,
      lastLine: row.line,
      keptLines: 1,
    });
    return;
  }
  if (row.invoiceDate < s.createdLocal) s.createdLocal = row.invoiceDate;
  s.customerId ??= row.customerId;
  s.lastLine = Math.max(s.lastLine, row.line);
  s.keptLines++;
}

/**
 * First pass over the file: per-product and per-invoice aggregates and the skip report, never
 * the lines themselves. Products must be known (and sent) before any order names them, and an
 * invoice's extent must be known to group lines without trusting the file to keep them together.
 */
export async function planCatalog(source: ReadRetailRowsOptions): Promise<CatalogPlan> {
  const plan: CatalogPlan = {
    source,
    products: new Map(),
    invoices: new Map(),
    cancelledPairs: new Set(),
    customers: new Set(),
    skips: new SkipReport(),
    rowsRead: 0,
    rowsKept: 0,
  };
  for await (const outcome of readRetailRows(source)) {
    plan.rowsRead++;
    if (!outcome.ok) {
      plan.skips.add(outcome.skip);
      continue;
    }
    const { row } = outcome;
    const skipped = classifyRow(row);
    if (skipped) {
      plan.skips.add(skipped);
      continue;
    }
    plan.rowsKept++;
    noteInvoiceLine(plan.invoices, row);
    if (isCancellationInvoice(row.invoice)) {
      // classifyRow keeps only cancellations with a customer.
      plan.cancelledPairs.add(purchaseKey(row.customerId ?? '', row.stockCode));
      continue;
    }
    if (row.customerId) plan.customers.add(row.customerId);
    if (isProductCode(row.stockCode)) noteProductSale(plan.products, row);
  }
  return plan;
}
