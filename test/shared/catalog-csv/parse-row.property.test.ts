import fc from 'fast-check';
import { parseRetailRecord } from '../../../shared/catalog-csv';

const pence = fc.integer({ min: 0, max: 10_000_000 });
const asPounds = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
const date = fc
  .date({ min: new Date('2009-01-01T00:00:00Z'), max: new Date('2011-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 19));

describe('parseRetailRecord (property)', () => {
  it('reads any well-formed record back exactly: pence from the decimal, never through a float', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100000, max: 999999 }),
        fc.boolean(),
        fc.stringMatching(/^\d{5}[a-z]?$/),
        fc.integer({ min: -100000, max: 100000 }).filter((q) => q !== 0),
        date,
        pence,
        fc.option(fc.integer({ min: 10000, max: 99999 }), { nil: null }),
        (invoice, cancelled, code, quantity, invoiceDate, minor, customer) => {
          const result = parseRetailRecord(
            {
              invoice: `${cancelled ? 'C' : ''}${invoice}`,
              stock_code: code,
              description: ' A THING ',
              quantity: String(quantity),
              invoice_date: invoiceDate,
              unit_price: asPounds(minor),
              customer_id: customer === null ? '' : `${customer}.0`,
              country: 'United Kingdom',
            },
            7,
          );
          expect(result).toEqual({
            ok: true,
            row: {
              line: 7,
              invoice: `${cancelled ? 'C' : ''}${invoice}`,
              stockCode: code.toUpperCase(),
              description: 'A THING',
              quantity,
              invoiceDate,
              unitPriceMinor: minor,
              customerId: customer === null ? null : String(customer),
              country: 'United Kingdom',
            },
          });
        },
      ),
    );
  });

  it('never throws on arbitrary text: every record is a row or a reasoned skip', () => {
    const field = fc.option(fc.string({ maxLength: 12 }), { nil: undefined });
    fc.assert(
      fc.property(fc.tuple(field, field, field, field, field, field, field, field), (f) => {
        const [invoice, stock_code, description, quantity, invoice_date, unit_price, customer_id, country] = f;
        const result = parseRetailRecord({ invoice, stock_code, description, quantity, invoice_date, unit_price, customer_id, country }, 3);
        if (!result.ok) {
          expect(result.skip.line).toBe(3);
          expect(result.skip.reason).toMatch(/^(missing|bad)_/);
        } else {
          expect(Number.isSafeInteger(result.row.unitPriceMinor)).toBe(true);
          expect(result.row.quantity).not.toBe(0);
        }
      }),
    );
  });
});
