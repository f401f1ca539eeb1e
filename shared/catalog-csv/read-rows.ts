import fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { InvalidInputError } from '../errors';
import { parseCustomerId, parseRetailRecord, RETAIL_COLUMNS, type RetailColumn } from './parse-row';
import type { RowOutcome } from './retail-row';
import { unixLineEnds } from './unix-line-ends';

export interface ReadRetailRowsOptions {
  /** A `.csv` or gzipped `.csv.gz` file; gzip is recognised by its magic bytes, not the name. */
  path: string;
  /** Read only the first `limit` data lines (records after the header). Default: all. */
  limit?: number;
  /**
   * Keep only the rows of every N-th customer (customer id divisible by N; guest rows left out):
   * a slice that keeps the whole period, so training still has a test window and returning
   * customers, at a fraction of the rows. Rows passed over count neither as read nor for `limit`.
   */
  everyNthCustomer?: number;
}

/** Whether a raw customer_id field names a customer the sample keeps (read as parseRetailRecord reads it). */
function inCustomerSample(raw: string | undefined, every: number): boolean {
  const id = parseCustomerId(raw);
  return typeof id === 'string' && Number(id) % every === 0;
}

const GZIP_MAGIC = [0x1f, 0x8b];

function isGzip(path: string): boolean {
  const fd = fs.openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const read = fs.readSync(fd, head, 0, 2, 0);
    return read === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    fs.closeSync(fd);
  }
}

function openText(path: string): Readable {
  const file = fs.createReadStream(path);
  if (!isGzip(path)) return file;
  const gunzip = createGunzip();
  file.on('error', (error) => gunzip.destroy(error));
  return file.pipe(gunzip);
}

function columnIndex(header: string[]): Record<RetailColumn, number> {
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = RETAIL_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) {
    throw new InvalidInputError('not an Online Retail II layout file', missing.map((c) => `missing column ${c}`));
  }
  return Object.fromEntries(RETAIL_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<RetailColumn, number>;
}

/**
 * Streams an Online Retail II layout file as typed rows. A bad line is yielded as a skip with
 * its line number and reason and reading goes on; only an unreadable file or a wrong header
 * throws. Memory stays flat: one record at a time.
 */
export async function* readRetailRows({ path, limit = Infinity, everyNthCustomer }: ReadRetailRowsOptions): AsyncGenerator<RowOutcome> {
  const malformed: RowOutcome[] = [];
  const text = openText(path);
  const lineEnds = unixLineEnds();
  text.on('error', (error) => lineEnds.destroy(error));
  const parser = text.pipe(lineEnds).pipe(
    parse({
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      bom: true,
      on_skip: (error) => {
        malformed.push({
          ok: false,
          skip: { line: Number(error?.lines ?? 0), reason: 'malformed_csv', detail: error?.message ?? 'unparseable record' },
        });
        return undefined;
      },
    }),
  );
  lineEnds.on('error', (error) => parser.destroy(error));
  let columns: Record<RetailColumn, number> | undefined;
  let headerLength = 0;
  let seen = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      while (malformed.length) yield malformed.shift() as RowOutcome;
      if (!columns) {
        columns = columnIndex(record);
        headerLength = record.length;
        continue;
      }
      if (everyNthCustomer !== undefined && record.length === headerLength && !inCustomerSample(record[columns.customer_id], everyNthCustomer)) continue;
      if (seen++ >= limit) break;
      if (record.length !== headerLength) {
        const detail = `${record.length} fields, the header has ${headerLength}`;
        yield { ok: false, skip: { line: info.lines, reason: 'malformed_csv', detail } };
        continue;
      }
      const index = columns;
      const fields = Object.fromEntries(RETAIL_COLUMNS.map((c) => [c, record[index[c]]])) as Record<RetailColumn, string>;
      yield parseRetailRecord(fields, info.lines);
    }
    while (malformed.length) yield malformed.shift() as RowOutcome;
  } finally {
    parser.destroy();
  }
  if (!columns) throw new InvalidInputError(`${path} is empty: no header line`);
}
