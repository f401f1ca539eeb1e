import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * Every `every`-th customer of an Online Retail II file (customer id divisible by it), with all of
 * their rows, gzipped: a slice that keeps the whole year (so training has a test window and
 * returning customers) at a fraction of the rows. Guest rows are left out. The customer id is the
 * second field from the right (only the description before it may hold quoted commas).
 */
export async function writeCustomerSlice(source: string, target: string, every: number): Promise<number> {
  const lines = readline.createInterface({ input: createReadStream(source).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  let kept = 0;
  async function* rows() {
    let header = true;
    for await (const line of lines) {
      const customer = line.split(',').at(-2) ?? '';
      if (header || (/^\d+(\.0)?$/.test(customer) && Number.parseInt(customer, 10) % every === 0)) {
        if (!header) kept++;
        header = false;
        yield `${line}\n`;
      }
    }
  }
  await pipeline(Readable.from(rows()), zlib.createGzip(), createWriteStream(target));
  return kept;
}
