import { createReadStream } from 'node:fs';
import { DEVELOPMENT_DATASET } from '../../../../shared/dev/dataset';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** The development data, committed in the repository's `data/`. */
export const RETAIL_DATASET = DEVELOPMENT_DATASET;

/** `invoice_date` is the only `YYYY-MM-DDTHH:` in a row; descriptions may hold quoted commas. */
const INVOICE_HOUR = /,\d{4}-\d\d-\d\dT(\d\d):/;

/**
 * The share of orders placed in each hour of the day (24 shares summing to 1) over the whole
 * file. An order is counted once, at its first line (an invoice's lines are consecutive);
 * cancellations (`C…`) are not orders. The file's times are the shop's local time (UK); they
 * are taken as UTC hours, which they are in winter.
 */
export async function readHourlyOrderShares(file = RETAIL_DATASET): Promise<number[]> {
  const counts = new Array<number>(24).fill(0);
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let lastInvoice = '';
  let orders = 0;
  for await (const line of lines) {
    const invoice = line.slice(0, line.indexOf(','));
    if (invoice === lastInvoice) continue;
    lastInvoice = invoice;
    if (invoice.startsWith('C')) continue;
    const hour = INVOICE_HOUR.exec(line);
    if (hour === null) continue; // the header
    counts[Number(hour[1])]! += 1;
    orders += 1;
  }
  if (orders === 0) throw new Error(`no orders read from ${file}`);
  return counts.map((count) => count / orders);
}
