import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { openRetailCatalog, readRetailRows, RETAIL_COLUMNS, type CatalogDelivery, type RowOutcome } from '../../shared/catalog-csv';
import { orderPayload, orderRecord, productPayload, productRecord, refundPayload, refundRecord } from '../../worker/ingest';
import { unixLineEnds } from '../../shared/catalog-csv/unix-line-ends';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from './support/fuzz-runs';
import { FuzzTally } from './support/fuzz-tally';

const SKIP_REASONS = new Set([
  'malformed_csv',
  'missing_invoice',
  'bad_invoice',
  'missing_stock_code',
  'bad_quantity',
  'bad_date',
  'bad_price',
  'bad_customer_id',
  'stock_adjustment',
  'unknown_invoice_type',
  'cancellation_positive_quantity',
  'cancellation_guest',
  'cancellation_no_original',
]);

/** Field values: the ones the real file holds, near misses, and hostile text (no line breaks: see `plainField`). */
const likely = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: bad });
const field = {
  invoice: likely(fc.oneof(fc.integer({ min: 489_000, max: 489_020 }).map(String), fc.integer({ min: 489_000, max: 489_020 }).map((n) => `C${n}`)), fc.constantFrom('', 'A489001', 'c489002', ' 489003 ', '99999999999999999999999', '-1', '4.5', 'nan')),
  stock_code: likely(fc.oneof(fc.constantFrom('85048', '79323P', '79323p', '22041', 'POST', 'M', 'BANK CHARGES'), fc.stringMatching(/^\d{5}[A-Z]?$/)), fc.constantFrom('', ' 85048 ', '\u0000', '🫖', '\u000012345')),
  description: fc.oneof(fc.constantFrom('TEA CUP', 'nan', '', 'a\u0000b', '<script>', '=HYPERLINK("x")', '🫖 pot', '"quoted", with comma'), fc.string({ maxLength: 30 })),
  quantity: likely(fc.integer({ min: -50, max: 200 }).map(String), fc.constantFrom('0', '2147483648', '-2147483649', '9007199254740993', '99999999999999999999', '1.5', '1e3', '', 'twelve', ' 7 ')),
  invoice_date: likely(
    fc.date({ min: new Date('2009-12-01T00:00:00Z'), max: new Date('2010-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19)),
    fc.constantFrom('2010-02-30T10:00:00', '2010-13-01T10:00:00', '2010-06-01 10:00:00', '2010-06-01T24:00:00', '0000-01-01T00:00:00', '9999-12-31T23:59:59', '', 'yesterday'),
  ),
  unit_price: likely(fc.integer({ min: 0, max: 5000 }).map((p) => (p / 100).toFixed(2)), fc.constantFrom('0', '-1.00', '1.005', '99999999999999.99', '9999999999999999', '9999999999.99', '1e2', '', 'NaN', '£3')),
  customer_id: likely(fc.oneof(fc.integer({ min: 12_000, max: 12_010 }).map(String), fc.constantFrom('', 'nan', '13085.0')), fc.constantFrom('NaN', '13085.5', '-1', '99999999999999999999999', 'abc')),
  country: fc.oneof(fc.constantFrom('United Kingdom', 'France', ''), fc.string({ maxLength: 12 })),
};

/** A field written as a CSV writer would: quoted (quotes doubled) when it holds a comma, quote or newline. */
const plainField = (value: string) => value.replace(/[\r\n]/g, ' ');
const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

const row = fc.record(field).map((r) => RETAIL_COLUMNS.map((c) => csvField(plainField(r[c]))).join(','));
/** Lines a broken export holds: stray quotes, too few or too many fields, blank lines, binary. */
const brokenLine = fc.oneof(
  fc.constantFrom('', ',,,,,,,', '"unterminated,1,2', 'a,b', '1,2,3,4,5,6,7,8,9,10', '""', '\u0000\u0000', '\ufeff500001,85048'),
  fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ' ')),
);
const HEADER = RETAIL_COLUMNS.join(',');

jest.setTimeout(FUZZ_TIMEOUT_MS);

describe('fuzz: the Online Retail CSV import (shared/catalog-csv)', () => {
  let dir: string;
  let files = 0;
  const tally = new FuzzTally();
  const write = (text: string) => {
    const file = path.join(dir, `fuzz-${++files}.csv`);
    fs.writeFileSync(file, text);
    return file;
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-csv-'));
  });
  afterAll(() => {
    tally.write();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const collect = async (file: string) => {
    const outcomes: RowOutcome[] = [];
    for await (const outcome of readRetailRows({ path: file })) outcomes.push(outcome);
    return outcomes.map((o) => (o.ok ? [o.row.line, 'ok'] : [o.skip.line, o.skip.reason]));
  };

  // Found by the property below: csv-parse counted the CR and the LF of a CRLF inside a quoted
  // field as two lines, so every later line was reported one too far per such break.
  it('numbers lines as the file has them after a quoted field with a CRLF line break (Windows export)', async () => {
    const lines = [HEADER, '489001,85048,"TEA\r\nCUP",2,2010-06-01T09:30:00,1.00,12000,UK', '489001,85049,POT,0,2010-06-01T09:30:00,1.00,12000,UK', '489001,85050,CUP,1,2010-06-01T09:30:00,1.00,12000,UK'];
    // The quoted field spans lines 2 and 3 of the file, so the next two rows are lines 4 and 5.
    expect(await collect(write(lines.join('\r\n') + '\r\n'))).toEqual([[3, 'ok'], [4, 'bad_quantity'], [5, 'ok']]);
    expect(await collect(write(lines.join('\n').replace('\r\n', '\n') + '\n'))).toEqual([[3, 'ok'], [4, 'bad_quantity'], [5, 'ok']]);
  });

  // Found by the property after it: such lines became order lines the ingest worker refuses (the
  // whole order failed as malformed) or sums that are not exact.
  it('skips a line whose quantity does not fit the store or whose total is out of range, by its number', async () => {
    const lines = [HEADER, '489001,85048,CUP,2147483648,2010-06-01T09:30:00,1.00,12000,UK', '489001,85049,POT,-2147483649,2010-06-01T09:30:00,1.00,12000,UK', '489001,85050,BOWL,1000,2010-06-01T09:30:00,99999999999.99,12000,UK', '489001,85051,MUG,3,2010-06-01T09:30:00,1.00,12000,UK'];
    expect(await collect(write(lines.join('\n') + '\n'))).toEqual([[2, 'bad_quantity'], [3, 'bad_quantity'], [4, 'bad_price'], [5, 'ok']]);
  });

  it('reads CRLF as LF however the bytes are split into chunks, every other byte untouched', async () => {
    const bytes = fc.array(fc.oneof(fc.constantFrom(0x0d, 0x0a, 0x22, 0x2c), fc.integer({ min: 0, max: 255 })), { maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(bytes, fc.array(fc.nat(), { maxLength: 6 }), async (input, cuts) => {
        const data = Buffer.from(input);
        const at = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((start, i) => data.subarray(start, i < at.length ? at[i] : data.length));
        const out: Buffer[] = [];
        for await (const chunk of Readable.from(chunks).pipe(unixLineEnds())) out.push(chunk as Buffer);
        expect(Buffer.concat(out).toString('latin1')).toBe(data.toString('latin1').replace(/\r\n/g, '\n'));
      }),
      fuzzParameters(2),
    );
  });

  it('reads any file of hostile rows to the end: each line once, by its number, as a row or a skip with a known reason', async () => {
    const line = fc.oneof({ weight: 5, arbitrary: row.map((text) => ({ text, quotedWell: true })) }, { weight: 1, arbitrary: brokenLine.map((text) => ({ text, quotedWell: false })) });
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), async (lines, eol) => {
        const file = write([HEADER, ...lines.map((l) => l.text)].join(eol) + eol);
        const outcomes: RowOutcome[] = [];
        for await (const outcome of readRetailRows({ path: file })) outcomes.push(outcome);
        for (const o of outcomes) tally.count('catalog CSV: lines read', { rejected: !o.ok });
        const numbers = outcomes.map((o) => (o.ok ? o.row.line : o.skip.line));
        for (const o of outcomes) if (!o.ok) expect(SKIP_REASONS).toContain(o.skip.reason);
        // An unterminated quote is reported where the file ends: at most the line after the last.
        for (const n of numbers) expect([n, n >= 2 && n <= lines.length + 2]).toEqual([n, true]);
        // No field holds a line break and, unless a broken line has a stray quote, no quote spans
        // lines: then every non-empty line after the header is reported once, under its number.
        if (lines.every((l) => l.quotedWell || !l.text.includes('"'))) {
          expect(numbers).toEqual(lines.flatMap((l, i) => (l.text === '' ? [] : [i + 2])));
        }
      }),
      fuzzParameters(2),
    );
  });

  it('turns any file of hostile rows into deliveries the ingest worker accepts, or skips those rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (lines) => {
        const file = write([HEADER, ...lines].join('\n') + '\n');
        const catalog = await openRetailCatalog({ path: file });
        const deliveries: CatalogDelivery[] = [];
        for await (const delivery of catalog.deliveries()) deliveries.push(delivery);
        tally.count('catalog CSV: files planned', { rejected: catalog.plan.skips.summary().total > 0 });
        for (const d of deliveries) {
          tally.count(`catalog CSV: ${d.topic} deliveries`, { rejected: false });
          // What `shelfwise import` and the worker do with each: the payload schema, then the mapping.
          const problem = accepts(d);
          expect({ topic: d.topic, payload: d.payload, problem }).toEqual({ topic: d.topic, payload: d.payload, problem: null });
        }
      }),
      fuzzParameters(2),
    );
  });
});

/** Why the ingest worker would refuse a delivery (null when it stores it). */
function accepts(d: CatalogDelivery): string | null {
  try {
    if (d.topic === 'products/create') {
      const parsed = productPayload.safeParse(JSON.parse(JSON.stringify(d.payload)));
      if (!parsed.success) return parsed.error.message;
      productRecord('fuzz.myshopify.com', parsed.data);
    } else if (d.topic === 'orders/create') {
      const parsed = orderPayload.safeParse(JSON.parse(JSON.stringify(d.payload)));
      if (!parsed.success) return parsed.error.message;
      orderRecord('fuzz.myshopify.com', parsed.data, 'fuzz-customer-key-0123456789');
    } else {
      const parsed = refundPayload.safeParse(JSON.parse(JSON.stringify(d.payload)));
      if (!parsed.success) return parsed.error.message;
      refundRecord('fuzz.myshopify.com', parsed.data, 'GBP');
    }
    return null;
  } catch (error) {
    return String(error);
  }
}
