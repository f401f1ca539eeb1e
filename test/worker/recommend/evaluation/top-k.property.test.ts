import fc from 'fast-check';
import { splitCsvRecord, topK } from '../../../../worker/recommend/evaluation';

describe('topK', () => {
  it('equals a full sort by score then index, without the excluded items', () => {
    fc.assert(
      fc.property(
        // Few distinct values, so ties are common.
        fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        (values, k, flags) => {
          const scores = Float64Array.from(values);
          const excluded = Uint8Array.from(values.map((_, i) => (flags[i] ? 1 : 0)));
          const expected = values
            .map((s, i) => ({ s, i }))
            .filter(({ i }) => !excluded[i])
            .sort((a, b) => b.s - a.s || a.i - b.i)
            .slice(0, k)
            .map(({ i }) => i);
          expect([...topK(scores, k, excluded)]).toEqual(expected);
        },
      ),
    );
  });
});

describe('splitCsvRecord', () => {
  it('reads back any fields written the RFC 4180 way', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', ',', '"', ' ', '1', '\n') }), { minLength: 1, maxLength: 8 }), (fields) => {
        const record = fields.map((f) => (/[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
        expect(splitCsvRecord(record)).toEqual(fields);
      }),
    );
  });
});
