import { trainingSetOf } from '../../../support/training-set';
import { seededRandom, userRecommender } from '../../../../worker/recommend/evaluation';
import { fitIals, ialsScorer } from '../../../../worker/recommend/models/ials';
import { decodeIalsArtifact, encodeIalsArtifact, IalsArtifactError } from '../../../../worker/recommend/models/ials-artifact';
import { chooseTfBackend } from '../../../../worker/recommend/tf/backend';

/** 300 users buying 4–9 of 80 items, skewed to low indices; ids with non-ASCII text. */
function store() {
  const random = seededRandom(11);
  const rows = Array.from({ length: 300 }, () => {
    const row = new Map<number, number>();
    const size = 4 + Math.floor(random() * 6);
    while (row.size < size) row.set(Math.floor(80 * random() ** 2), 1 + Math.floor(random() * 3));
    return row;
  });
  const training = trainingSetOf(rows, 80);
  return { ...training, customerIds: training.customerIds.map((id) => `${id}-ü`), stockCodes: training.stockCodes.map((code) => `${code}/“x”`) };
}

describe('iALS artifact (bytes for the model version row)', () => {
  beforeAll(async () => {
    await chooseTfBackend();
  });

  it('round-trips: identical factors, vocabulary and top-10 lists for every user', () => {
    const training = store();
    const fitted = fitIals(training.interactions, { factors: 8, iterations: 4, seed: 2 });
    const bytes = encodeIalsArtifact({ ...fitted, customerIds: training.customerIds, stockCodes: training.stockCodes });
    const decoded = decodeIalsArtifact(Uint8Array.from(bytes));
    expect(decoded.factors).toBe(8);
    expect(decoded.customerIds).toEqual(training.customerIds);
    expect(decoded.stockCodes).toEqual(training.stockCodes);
    expect(Buffer.from(decoded.users.buffer).equals(Buffer.from(fitted.users.buffer))).toBe(true);
    expect(Buffer.from(decoded.items.buffer).equals(Buffer.from(fitted.items.buffer))).toBe(true);
    const before = userRecommender(ialsScorer(fitted), training);
    const after = userRecommender(ialsScorer(decoded), training);
    for (let u = 0; u < training.interactions.rows; u++) {
      for (const excludeBought of [true, false]) expect([...after(u, { excludeBought, k: 10 })]).toEqual([...before(u, { excludeBought, k: 10 })]);
    }
  });

  it('decodes from a view into a larger buffer (as a database driver hands back bytes)', () => {
    const artifact = { factors: 2, users: Float32Array.of(1, -2, 0.5, 3e-8), items: Float32Array.of(7, 8), customerIds: ['a', 'b'], stockCodes: ['x'] };
    const bytes = encodeIalsArtifact(artifact);
    const padded = new Uint8Array(bytes.length + 13);
    padded.set(bytes, 5);
    expect(decodeIalsArtifact(padded.subarray(5, 5 + bytes.length))).toEqual(artifact);
  });

  it('rejects bytes that are not an artifact, truncated or inconsistent, with a clear error', () => {
    const bytes = encodeIalsArtifact({ factors: 1, users: Float32Array.of(1), items: Float32Array.of(2), customerIds: ['a'], stockCodes: ['x'] });
    expect(() => decodeIalsArtifact(bytes.subarray(0, 10))).toThrow(IalsArtifactError);
    expect(() => decodeIalsArtifact(bytes.subarray(0, bytes.length - 4))).toThrow(/header says/);
    const wrongMagic = Uint8Array.from(bytes);
    wrongMagic[0] = 0;
    expect(() => decodeIalsArtifact(wrongMagic)).toThrow(/magic/);
    const wrongVersion = Uint8Array.from(bytes);
    wrongVersion[4] = 9;
    expect(() => decodeIalsArtifact(wrongVersion)).toThrow(/version 9/);
    expect(() => encodeIalsArtifact({ factors: 2, users: Float32Array.of(1), items: Float32Array.of(), customerIds: ['a'], stockCodes: [] })).toThrow(RangeError);
  });
});
