import path from 'node:path';
import { shelfwise } from './cli-process';

// Every row of the development file whose customer id is a multiple of 97, plus every guest
// invoice whose number is a multiple of 80 (whole baskets): 4,149 lines spanning the full year.
const SLICE = path.join(__dirname, '..', 'fixtures', 'online-retail-ii-every-97th-customer.csv.gz');
const METRICS = ['precision@10', 'recall@10', 'f1@10', 'ndcg@10', 'hit@10', 'coverage@10', 'fitSeconds', 'peakRssBytes'];

describe('shelfwise eval (the bin, in a child process)', () => {
  it('prints protocol → model → metrics as one JSON object', async () => {
    const run = await shelfwise(['eval', '--csv', SLICE, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    // The three protocols of docs/evaluation.md first, then the cart blend's own protocol.
    expect(Object.keys(report)).toEqual(['next-30d-new', 'next-30d-all', 'fbt-30d', 'cart-30d']);
    const userModels = ['popularity', 'trending (half-life 7 d)', 'item kNN', 'buy again', 'EASE^R', 'iALS', 'blend'];
    expect(Object.keys(report['next-30d-new'])).toEqual(userModels);
    expect(Object.keys(report['next-30d-all'])).toEqual(userModels);
    expect(Object.keys(report['fbt-30d'])).toEqual(['popularity', 'cosine', 'co-occurrence', 'content (product text)', 'blend']);
    expect(Object.keys(report['cart-30d'])).toEqual(['co-occurrence', 'blend']);
    // The blends are scored on the same queries as the models beside them.
    expect(report['next-30d-new'].blend.users).toBe(9);
    expect(report['fbt-30d'].blend.queries).toBe(22);
    for (const [protocol, models] of Object.entries(report) as [string, Record<string, Record<string, unknown>>][]) {
      for (const row of Object.values(models)) {
        expect(Object.keys(row).sort()).toEqual([protocol.startsWith('next-') ? 'users' : 'queries', 'backend', ...METRICS].sort());
        for (const metric of METRICS) expect(row[metric]).toEqual(expect.any(Number));
      }
    }
    // Plain TypeScript models run on no tfjs backend; iALS names the one it ran on (wasm here).
    expect(report['next-30d-new'].iALS.backend).toBe('wasm');
    expect(report['next-30d-all'].popularity.backend).toBe('none');
    expect(report['fbt-30d'].cosine.backend).toBe('none');
    expect(report['next-30d-new'].popularity.users).toBe(9);
    expect(report['next-30d-all'].popularity.users).toBe(12);
    expect(report['fbt-30d'].popularity.queries).toBe(22);
    // Popularity gives every user the same ten items when nothing is excluded: coverage is
    // 10 / catalog size, and the slice's training catalog has 1,185 items.
    expect(report['next-30d-all'].popularity['coverage@10']).toBeCloseTo(10 / 1185, 12);
    // With every bought item removed, buy again has nothing personal left: it is popularity.
    const { fitSeconds: _a, peakRssBytes: _b, ...buyAgain } = report['next-30d-new']['buy again'];
    const { fitSeconds: _c, peakRssBytes: _d, ...popularity } = report['next-30d-new'].popularity;
    expect(buyAgain).toEqual(popularity);
  });

  it('prints a table per protocol with the split it used', async () => {
    const run = await shelfwise(['eval', '--csv', SLICE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('test window (2010-11-09T15:29:00, 2010-12-09T15:29:00]');
    expect(run.stdout).toContain('training: 41 customers, 1185 items, 1965 (customer, item) pairs');
    for (const protocol of ['next-30d-new', 'next-30d-all', 'fbt-30d']) expect(run.stdout).toContain(`protocol ${protocol}`);
    expect(run.stdout).toMatch(/^co-occurrence +22 /m);
    expect(run.stdout).toContain('TensorFlow.js backend: wasm');
    expect(run.stdout).toMatch(/^iALS: chosen on the validation window \(next-30d-new ndcg@10\): factors 64, iterations 15, cgSteps 3, reg (0\.1|1), alpha (5|20); grid: /m);
    expect(run.stdout).toMatch(/^iALS +9 .* wasm$/m);
    for (const placement of ['for_you', 'product', 'cart']) expect(run.stdout).toMatch(new RegExp(`^blend \\(${placement}\\): weights chosen on the validation window in [0-9.]+ s: `, 'm'));
    expect(run.stdout).toMatch(/^blend +22 /m);
  });

  it('says there is nothing to score when the file is shorter than the test window', async () => {
    // The first 5,000 lines cover two days: everything is in the test window, nothing in training.
    const run = await shelfwise(['eval', '--csv', path.join(__dirname, '..', 'fixtures', 'online-retail-ii-first-5000.csv.gz'), '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)['next-30d-all'].popularity.users).toBe(0);
    const table = await shelfwise(['eval', '--csv', path.join(__dirname, '..', 'fixtures', 'online-retail-ii-first-5000.csv.gz')]);
    expect(table.stdout).toContain('nothing to score');
  });

  it('fails with a message on a file that is not in the Online Retail layout', async () => {
    const run = await shelfwise(['eval', '--csv', path.join(__dirname, 'cli-process.ts')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not an Online Retail II layout file/);
  });
});
