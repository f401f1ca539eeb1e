import {
  buildHoldout,
  evaluateHoldout,
  evaluationWindows,
  FBT_ANCHOR_SEED,
  formatWallClock,
  MetricAccumulator,
  protocolHoldouts,
  PurchaseLogBuilder,
  scoreUserQueries,
  type Holdout,
} from '../../../../worker/recommend/evaluation';
import { basketPopularityModel, buyAgainModel, coOccurrenceModel, cosineModel, popularityModel } from '../../../../worker/recommend/models';
import { A, B, C, D, handLog } from './hand-dataset';

// Discounts 1/log2(rank + 1), rank from 1: r1 = 1, r2 = 0.630930, r3 = 0.5, r4 = 0.430677.
const r2 = 1 / Math.log2(3);
const r3 = 0.5;
const r4 = 1 / Math.log2(5);
const DIGITS = 9;

const sorted = (a: Int32Array) => [...a].sort((x, y) => x - y);

describe('evaluation protocol on a hand-made store', () => {
  const log = handLog();
  const windows = evaluationWindows(log);
  let holdout: Holdout;
  beforeAll(() => {
    holdout = buildHoldout(log, { cutoff: windows.testStart, windowEnd: windows.end, seed: FBT_ANCHOR_SEED });
  });

  it('cleans in the protocol order and keeps guest rows as baskets', () => {
    expect(log.rowsRead).toBe(26);
    expect(log.dropped).toEqual({ malformed: 0, cancellation: 2, not_a_product: 1, non_positive_quantity_or_price: 2 });
    expect(log.time).toHaveLength(21);
    expect([...log.customer].filter((c) => c < 0)).toHaveLength(4);
  });

  it('splits at end − 30 days: a row at the window start is training, a row at end is test', () => {
    expect(formatWallClock(windows.end)).toBe('2024-03-31T12:00:00');
    expect(formatWallClock(windows.testStart)).toBe('2024-03-01T12:00:00');
    expect(formatWallClock(windows.validationStart)).toBe('2024-01-31T12:00:00');
    const { training } = holdout;
    expect(training.stockCodes).toEqual(['10001', '10002', '10003', '10004']);
    expect(training.customerIds).toEqual(['1', '2', '3']);
    // u3 bought D only at the window start: D is in the catalog and in u3's history.
    const u3 = training.interactions.indices.slice(training.interactions.indptr[2], training.interactions.indptr[3]);
    expect([...u3]).toEqual([A, D]);
  });

  it('counts interaction strength in distinct invoices', () => {
    const { interactions } = holdout.training;
    expect(interactions.indices).toHaveLength(7);
    // u1: A on invoices 1 and 2 (twice on 2) = 2, B = 1, C = 1.
    expect([...interactions.indices.slice(0, 3)]).toEqual([A, B, C]);
    expect([...interactions.values.slice(0, 3)]).toEqual([2, 1, 1]);
    // Training baskets: invoices 1-5, the guest one included.
    expect(holdout.training.baskets.rows).toBe(5);
  });

  it('builds the test users and fbt queries of each protocol', () => {
    // new: u1 → {D}; u2 → {A} (E is not a catalog item); u3 only re-ordered A.
    expect(holdout.newItemQueries.map((q) => [q.user, sorted(q.truth)])).toEqual([
      [0, [D]],
      [1, [A]],
    ]);
    // all: u1 → {A, D}; u2 → {A, B}; u3 → {A}; u4 has no training interaction.
    expect(holdout.allItemQueries.map((q) => [q.user, sorted(q.truth)])).toEqual([
      [0, [A, D]],
      [1, [A, B]],
      [2, [A]],
    ]);
    // Baskets 10 [A, D], 11 [B, A], 12 [C, B]; 14 has one catalog item. The seeded draws are
    // 0.1065, 0.8482, 0.3887 → positions 0, 1, 0 → anchors A, A, C.
    expect(holdout.basketQueries.map((q) => [q.anchor, [...q.truth]])).toEqual([
      [A, [D]],
      [A, [B]],
      [C, [B]],
    ]);
  });

  it('scores the baselines to the hand-computed values', () => {
    const report = evaluateHoldout({ holdout, userModels: [popularityModel, buyAgainModel], itemModels: [basketPopularityModel, coOccurrenceModel, cosineModel], now: () => 0, peakRss: () => 1 });

    // popularity = distinct buyers: A 2, B 2, C 2, D 1 → ranking A B C D (ties by index).
    // new: u1 candidates [D] (A B C bought) hits D at 1; u2 candidates [A D] hits A at 1.
    // P = 1/10 each, R = 1/min(10,1) = 1, ndcg 1, hit 1; f1 = 2·0.1·1/1.1; coverage {A, D} = 2/4.
    expect(report['next-30d-new'].popularity).toEqual({
      queries: 2,
      precision: expect.closeTo(0.1, DIGITS),
      recall: 1,
      f1: expect.closeTo(0.2 / 1.1, DIGITS),
      ndcg: 1,
      hit: 1,
      coverage: 0.5,
      fitSeconds: 0,
      peakRssBytes: 1,
      backend: 'none',
    });

    // all: u1 truth {A, D} hits ranks 1, 4: dcg 1 + r4, idcg 1 + r2, P 0.2, R 1;
    // u2 {A, B} ranks 1, 2: ndcg 1, P 0.2; u3 {A} rank 1: ndcg 1, P 0.1.
    // mean P = 0.5/3, R = 1, f1 = 2(1/6)/(7/6) = 2/7; coverage 4/4.
    expect(report['next-30d-all'].popularity).toMatchObject({
      queries: 3,
      precision: expect.closeTo(0.5 / 3, DIGITS),
      recall: 1,
      f1: expect.closeTo(2 / 7, DIGITS),
      ndcg: expect.closeTo(((1 + r4) / (1 + r2) + 2) / 3, DIGITS),
      hit: 1,
      coverage: 1,
    });

    // buy again = invoices + buyers/3: u1 A 2.67 B 1.67 C 1.67 D 0.33 → A B C D (as popularity);
    // u2 B 1.67 C 1.67 A 0.67 D 0.33 → B C A D, truth {A, B} at ranks 1, 3: (1 + r3)/(1 + r2);
    // u3 A 1.67 D 1.33 B C → A first.
    expect(report['next-30d-all']['buy again']).toMatchObject({
      queries: 3,
      precision: expect.closeTo(0.5 / 3, DIGITS),
      ndcg: expect.closeTo(((1 + r4) / (1 + r2) + (1 + r3) / (1 + r2) + 1) / 3, DIGITS),
      hit: 1,
    });

    // fbt popularity = training baskets: A 3, B 2, C 3, D 2 → A C B D.
    // q1 anchor A → C B D, truth D at 3: r3; q2 anchor A, truth B at 2: r2; q3 anchor C → A B D, B at 2: r2.
    expect(report['fbt-30d'].popularity).toMatchObject({ queries: 3, precision: expect.closeTo(0.1, DIGITS), recall: 1, ndcg: expect.closeTo((r3 + 2 * r2) / 3, DIGITS), hit: 1, coverage: 1 });

    // co-occurrence: every pair once except B-D (0), so from A → B C D, from C → A B D.
    // q1 D at 3: r3; q2 B at 1: 1; q3 B at 2: r2.
    expect(report['fbt-30d']['co-occurrence']).toMatchObject({ queries: 3, ndcg: expect.closeTo((r3 + 1 + r2) / 3, DIGITS), hit: 1 });

    // cosine, baskets per item A 3, B 2, C 3, D 2: from A, B = D = 1/√6 > C = 1/3 → B D C;
    // from C, B = D = 1/√6 > A = 1/3 → B D A. q1 D at 2: r2; q2 B at 1; q3 B at 1.
    expect(report['fbt-30d'].cosine).toMatchObject({ queries: 3, ndcg: expect.closeTo((r2 + 2) / 3, DIGITS), hit: 1 });
  });

  it('cuts recall at min(k, |truth|) and takes f1 of the means (k = 2 on the same store)', () => {
    // popularity top 2 = A B. u1 {A, D}: 1 hit, P 1/2, R 1/min(2,2) = 1/2, ndcg 1/(1 + r2);
    // u2 {A, B}: 2 hits, P 1, R 1, ndcg 1; u3 {A}: P 1/2, R 1/min(2,1) = 1, ndcg 1.
    // mean P 2/3, mean R 5/6, f1 = 2(2/3)(5/6)/(3/2) = 20/27; coverage {A, B} = 2/4.
    const scorer = popularityModel.fit(holdout.training);
    const metrics = scoreUserQueries(scorer, holdout.training, holdout.allItemQueries, { excludeTrainingItems: false, k: 2 });
    expect(metrics.precision).toBeCloseTo(2 / 3, DIGITS);
    expect(metrics.recall).toBeCloseTo(5 / 6, DIGITS);
    expect(metrics.f1).toBeCloseTo(20 / 27, DIGITS);
    expect(metrics.ndcg).toBeCloseTo((1 / (1 + r2) + 2) / 3, DIGITS);
    expect(metrics.coverage).toBe(0.5);
  });
});

describe('MetricAccumulator at K = 10', () => {
  it('normalises recall and ndcg by min(10, |truth|) and counts users without hits', () => {
    const metrics = new MetricAccumulator(100);
    // 12 items to find, hits at ranks 1 and 10: P 0.2, R 2/10, dcg 1 + 1/log2(11),
    // idcg = Σ_{r=1..10} 1/log2(r+1) = 4.543559.
    metrics.add(Int32Array.from([0, 50, 51, 52, 53, 54, 55, 56, 57, 9]), Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
    // No hit: everything 0. Items 60..69 recommended.
    metrics.add(Int32Array.from([60, 61, 62, 63, 64, 65, 66, 67, 68, 69]), Int32Array.from([1]));
    let idcg = 0;
    for (let r = 1; r <= 10; r++) idcg += 1 / Math.log2(r + 1);
    expect(idcg).toBeCloseTo(4.543559, 6);
    const result = metrics.result();
    expect(result.queries).toBe(2);
    expect(result.precision).toBeCloseTo(0.1, DIGITS);
    expect(result.recall).toBeCloseTo(0.1, DIGITS);
    expect(result.f1).toBeCloseTo(0.1, DIGITS);
    expect(result.ndcg).toBeCloseTo((1 + 1 / Math.log2(11)) / idcg / 2, DIGITS);
    expect(result.ndcg).toBeCloseTo(0.141856, 6);
    expect(result.hit).toBe(0.5);
    // Distinct items: 0, 50..57, 9 and 60..69 = 20 of 100.
    expect(result.coverage).toBe(0.2);
  });
});

describe('the validation split', () => {
  it('fits up to 60 days before end and scores the 30 days before the test window', () => {
    // end 2024-03-31T12:00:00 → test start 03-01T12:00:00 → validation start 01-31T12:00:00.
    const builder = new PurchaseLogBuilder();
    const line = (invoice: string, stock_code: string, invoice_date: string, customer_id: string) =>
      builder.addRaw({ invoice, stock_code, quantity: '1', invoice_date, unit_price: '1', customer_id });
    line('1', '10001', '2024-01-31T12:00:00', '1'); // at validation start: validation training
    line('2', '10002', '2024-01-31T12:00:01', '1'); // validation window
    line('5', '10001', '2024-02-15T00:00:00', '1'); // validation window: a re-order of a catalog item
    line('3', '10001', '2024-03-01T12:00:00', '2'); // at test start: validation window, test training
    line('4', '10002', '2024-03-31T12:00:00', '2'); // at end: test window
    const { windows, validation, test } = protocolHoldouts(builder.build());
    expect(formatWallClock(windows.validationStart)).toBe('2024-01-31T12:00:00');
    expect(validation.training.customerIds).toEqual(['1']);
    expect(validation.training.stockCodes).toEqual(['10001']);
    // u1's 10002 is not a catalog item of the validation fit; customer 2 had no training.
    expect(validation.allItemQueries.map((q) => [q.user, [...q.truth]])).toEqual([[0, [0]]]);
    expect(validation.newItemQueries).toEqual([]);
    expect(test.training.customerIds).toEqual(['1', '2']);
    expect(test.training.stockCodes).toEqual(['10001', '10002']);
    expect(test.newItemQueries.map((q) => [q.user, [...q.truth]])).toEqual([[1, [1]]]);
  });
});
