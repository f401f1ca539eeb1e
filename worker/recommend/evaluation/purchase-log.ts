import { InvalidInputError } from '../../../shared/errors';
import { cleanRow, type CleanPurchase, type DropReason, type RawPurchaseFields } from './clean-row';
import { readCsvRecords } from './csv-records';

/**
 * Every row the protocol keeps, as parallel columns of small integers: ids index the
 * dictionaries (`stockCodes`, `customerIds`, `invoices`), in order of first appearance in the file.
 */
export interface PurchaseLog {
  stockCodes: string[];
  /** Per stock code: its product text (the latest non-empty description seen), '' if none. */
  descriptions: string[];
  customerIds: string[];
  invoices: string[];
  /** Per row: index into `invoices`. */
  invoice: Int32Array;
  /** Per row: index into `stockCodes`. */
  item: Int32Array;
  /** Per row: index into `customerIds`, or -1 for a guest row. */
  customer: Int32Array;
  /** Per row: wall-clock seconds (see `wallClockSeconds`). */
  time: Float64Array;
  /** Rows read (header excluded) and rows dropped, by the first rule that dropped them. */
  rowsRead: number;
  dropped: Record<DropReason, number>;
}

/** Accumulates cleaned rows into a PurchaseLog; usable on rows from a file or from a test. */
export class PurchaseLogBuilder {
  private readonly codes = new Map<string, number>();
  private readonly customers = new Map<string, number>();
  private readonly invoiceIds = new Map<string, number>();
  private readonly invoiceCol: number[] = [];
  private readonly itemCol: number[] = [];
  private readonly customerCol: number[] = [];
  private readonly timeCol: number[] = [];
  private readonly descriptionOf: string[] = [];
  private rowsRead = 0;
  private readonly dropped: Record<DropReason, number> = { malformed: 0, cancellation: 0, not_a_product: 0, non_positive_quantity_or_price: 0 };
  private readonly dateCache = new Map<string, number>();

  private static id(map: Map<string, number>, key: string): number {
    let id = map.get(key);
    if (id === undefined) {
      id = map.size;
      map.set(key, id);
    }
    return id;
  }

  addRaw(fields: RawPurchaseFields): void {
    this.rowsRead++;
    const outcome = cleanRow(fields, this.dateCache);
    if (outcome.kept) this.add(outcome.purchase);
    else this.dropped[outcome.reason]++;
  }

  /** Adds a row already cleaned (e.g. read from the store rather than a file). */
  add(p: CleanPurchase): void {
    this.invoiceCol.push(PurchaseLogBuilder.id(this.invoiceIds, p.invoice));
    const item = PurchaseLogBuilder.id(this.codes, p.stockCode);
    this.itemCol.push(item);
    if (p.description || this.descriptionOf[item] === undefined) this.descriptionOf[item] = p.description;
    this.customerCol.push(p.customerId === null ? -1 : PurchaseLogBuilder.id(this.customers, p.customerId));
    this.timeCol.push(p.time);
  }

  build(): PurchaseLog {
    return {
      stockCodes: [...this.codes.keys()],
      descriptions: Array.from({ length: this.codes.size }, (_, i) => this.descriptionOf[i] ?? ''),
      customerIds: [...this.customers.keys()],
      invoices: [...this.invoiceIds.keys()],
      invoice: Int32Array.from(this.invoiceCol),
      item: Int32Array.from(this.itemCol),
      customer: Int32Array.from(this.customerCol),
      time: Float64Array.from(this.timeCol),
      rowsRead: this.rowsRead,
      dropped: { ...this.dropped },
    };
  }
}

const REQUIRED = ['invoice', 'stock_code', 'quantity', 'invoice_date', 'unit_price', 'customer_id'] as const;
const OPTIONAL_DESCRIPTION = 'description';

/** Reads and cleans an Online Retail II layout file (plain or gzipped) in one streaming pass. */
export async function readPurchaseLog(path: string): Promise<PurchaseLog> {
  const builder = new PurchaseLogBuilder();
  let index: Record<(typeof REQUIRED)[number], number> | undefined;
  let descriptionAt = -1;
  for await (const record of readCsvRecords(path)) {
    if (!index) {
      const names = record.map((h) => h.trim().toLowerCase());
      const missing = REQUIRED.filter((c) => !names.includes(c));
      if (missing.length) throw new InvalidInputError(`${path} is not an Online Retail II layout file`, missing.map((c) => `missing column ${c}`));
      index = Object.fromEntries(REQUIRED.map((c) => [c, names.indexOf(c)])) as Record<(typeof REQUIRED)[number], number>;
      descriptionAt = names.indexOf(OPTIONAL_DESCRIPTION);
      continue;
    }
    builder.addRaw({
      invoice: record[index.invoice],
      stock_code: record[index.stock_code],
      quantity: record[index.quantity],
      invoice_date: record[index.invoice_date],
      unit_price: record[index.unit_price],
      customer_id: record[index.customer_id],
      description: descriptionAt >= 0 ? record[descriptionAt] : undefined,
    });
  }
  if (!index) throw new InvalidInputError(`${path} is empty: no header line`);
  return builder.build();
}
