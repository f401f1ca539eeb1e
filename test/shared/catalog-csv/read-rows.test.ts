import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readRetailRows, type RowOutcome } from '../../../shared/catalog-csv';
import { BAD_ROWS_CSV, FIRST_5000, FIRST_5000_GZ } from './fixtures';

async function collect(file: string, limit?: number): Promise<RowOutcome[]> {
  const out: RowOutcome[] = [];
  for await (const outcome of readRetailRows({ path: file, limit })) out.push(outcome);
  return out;
}

const skipsOf = (outcomes: RowOutcome[]) =>
  outcomes.flatMap((o) => (o.ok ? [] : [[o.skip.line, o.skip.reason] as const]));

describe('readRetailRows', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'retail-rows-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reports every malformed line with its line number and reason, and reads on', async () => {
    const outcomes = await collect(BAD_ROWS_CSV);
    expect(outcomes).toHaveLength(25);
    expect(skipsOf(outcomes)).toEqual([
      [6, 'missing_invoice'],
      [7, 'bad_quantity'],
      [8, 'bad_date'],
      [9, 'bad_price'],
      [10, 'bad_price'],
      [11, 'bad_customer_id'],
      [12, 'missing_stock_code'],
      [22, 'malformed_csv'],
      [23, 'bad_quantity'],
    ]);
    // The lines after the bad ones still arrive, with their own numbers.
    const good = outcomes.flatMap((o) => (o.ok ? [o.row] : []));
    expect(good.map((r) => r.line)).toEqual([2, 3, 4, 5, 13, 14, 15, 16, 17, 18, 19, 20, 21, 24, 25, 26]);
  });

  it('types and normalises fields: codes upper-cased, pence exact, quoted commas, nan and float ids', async () => {
    const rows = (await collect(BAD_ROWS_CSV)).flatMap((o) => (o.ok ? [o.row] : []));
    const byLine = new Map(rows.map((r) => [r.line, r]));
    expect(byLine.get(3)).toMatchObject({ invoice: '500001', stockCode: '79323P', quantity: 2, unitPriceMinor: 675, customerId: '13085' });
    expect(byLine.get(5)).toMatchObject({ description: 'RECORD FRAME 7" SINGLE, SIZE', unitPriceMinor: 210, customerId: null });
    expect(byLine.get(24)).toMatchObject({ description: '', customerId: '12346', unitPriceMinor: 0 });
    expect(byLine.get(15)).toMatchObject({ invoice: 'C500005', quantity: -5, invoiceDate: '2010-06-02T12:00:00' });
  });

  it('reads gzip and plain text alike, by content rather than file name', async () => {
    const disguised = path.join(tmp, 'really-gzip.csv');
    fs.writeFileSync(disguised, gzipSync(fs.readFileSync(BAD_ROWS_CSV)));
    expect(await collect(disguised)).toEqual(await collect(BAD_ROWS_CSV));
  });

  it('stops after `limit` data lines, bad ones included', async () => {
    const outcomes = await collect(BAD_ROWS_CSV, 7);
    expect(outcomes.map((o) => (o.ok ? o.row.line : o.skip.line))).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('streams the 5,000-line slice of the real file with no bad rows', async () => {
    const outcomes = await collect(FIRST_5000_GZ);
    expect(outcomes).toHaveLength(FIRST_5000.rowsRead);
    expect(skipsOf(outcomes)).toEqual([]);
    const last = outcomes.at(-1);
    expect(last?.ok && last.row.line).toBe(5001);
  });

  it("keeps every N-th customer's rows, and only theirs, from the whole file", async () => {
    // Counted independently (Python's csv module over the same 5,000 lines): customer ids
    // divisible by 7 have 318 rows of 20 customers; guest rows (no id) are never kept.
    const rows: RowOutcome[] = [];
    for await (const outcome of readRetailRows({ path: FIRST_5000_GZ, everyNthCustomer: 7 })) rows.push(outcome);
    expect(rows).toHaveLength(318);
    const customers = new Set(rows.map((o) => (o.ok ? o.row.customerId : `skip ${o.skip.reason}`)));
    expect(customers.size).toBe(20);
    for (const id of customers) expect(Number(id) % 7).toBe(0);
    // The sample keeps the file's order and line numbers, and `limit` counts kept rows.
    const lines = rows.map((o) => (o.ok ? o.row.line : 0));
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    const limited: RowOutcome[] = [];
    for await (const outcome of readRetailRows({ path: FIRST_5000_GZ, everyNthCustomer: 7, limit: 10 })) limited.push(outcome);
    expect(limited).toEqual(rows.slice(0, 10));
  });

  it('refuses a file that is not in the Online Retail II layout', async () => {
    const other = path.join(tmp, 'other.csv');
    fs.writeFileSync(other, 'order,sku,qty\n1,A,2\n');
    await expect(collect(other)).rejects.toThrow(/missing column invoice/);
  });
});
