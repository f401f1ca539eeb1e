import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readCsvRecords, readPurchaseLog, splitCsvRecord } from '../../../../worker/recommend/evaluation';

describe('CSV reading for the evaluation', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-eval-csv-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('splits quoted fields with commas and doubled quotes', () => {
    expect(splitCsvRecord('1,"SET OF 3, ""RED"" HEARTS",2')).toEqual(['1', 'SET OF 3, "RED" HEARTS', '2']);
  });

  it('reads gzipped files with CRLF and a line break inside quotes', async () => {
    const file = path.join(dir, 'quoted.csv.gz');
    fs.writeFileSync(file, gzipSync('a,b\r\n1,"x\ny"\r\n2,z\r\n'));
    const records: string[][] = [];
    for await (const r of readCsvRecords(file)) records.push(r);
    expect(records).toEqual([['a', 'b'], ['1', 'x\ny'], ['2', 'z']]);
  });

  it('rejects a file without the columns the protocol needs', async () => {
    const file = path.join(dir, 'wrong.csv');
    fs.writeFileSync(file, 'invoice,stock_code\n1,10001\n');
    await expect(readPurchaseLog(file)).rejects.toThrow(/missing column quantity/);
  });
});
