// npx tsx test/bench/bpr-vs-ials.ts — BPR-MF against iALS on the development file, by the
// protocol: each model's configuration is chosen by ndcg@10 of `next-30d-new` on the validation
// holdout (tuneOnValidation, its own grid), refitted on the test holdout's training data and
// scored once on test. Each model runs in its own child process so its peak RSS is its own; the
// runs are sequential (never two fits at once). Prints the validation grid, the test metrics, fit
// and CPU seconds, peak RSS, backend, FLOPs per epoch/sweep and GFLOP/s, then a side-by-side table.
// BENCH_CSV=file. `--only bpr|ials` runs one model in this process and prints its JSON last.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_CSV } from '../../shared/cli/commands/demo';
import { evaluateHoldout, ialsSweepFlops, protocolHoldouts, readPurchaseLog, tunableIals, tuneOnValidation, type UserModel } from '../../worker/recommend';
import { bprEpochFlops, tunableBpr } from '../../worker/recommend/models/bpr';
import { chooseTfBackend } from '../../worker/recommend/tf/backend';
import { machine } from './support/child';

const CSV = process.env.BENCH_CSV ?? DEFAULT_CSV;
const MARK = 'RESULT ';

interface Result {
  model: string;
  backend: string;
  shape: { users: number; items: number; pairs: number };
  validation: Record<string, number>;
  chosen: string;
  test: { new: { ndcg: number; recall: number }; all: { ndcg: number; recall: number } };
  fitSeconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  /** Per epoch (BPR) or per sweep (iALS), and how many the fit ran. */
  gflopsPerPass: number;
  passes: number;
  gflopPerSecond: number;
}

/** Wraps a model so its fit's CPU time (user + system, all threads) is recorded. */
function timedCpu(model: UserModel, into: { cpuSeconds: number }): UserModel {
  return {
    name: model.name,
    get backend() {
      return model.backend;
    },
    fit(training) {
      const before = process.cpuUsage();
      const scorer = model.fit(training);
      const used = process.cpuUsage(before);
      into.cpuSeconds = (used.user + used.system) / 1e6;
      return scorer;
    },
  };
}

function numberAfter(label: string, key: string): number {
  const match = new RegExp(`${key} ([0-9.]+)`).exec(label);
  if (!match) throw new Error(`no ${key} in ${label}`);
  return Number(match[1]);
}

async function runOne(which: 'bpr' | 'ials'): Promise<void> {
  const backend = await chooseTfBackend({ log: (m) => console.log(m) });
  const { validation, test } = protocolHoldouts(await readPurchaseLog(CSV));
  const m = test.training.interactions;
  const shape = { users: m.rows, items: m.cols, pairs: m.indices.length };
  const tunable = which === 'bpr' ? tunableBpr() : tunableIals();
  const started = performance.now();
  const { models, tuning } = tuneOnValidation(validation, [tunable]);
  console.log(`${tunable.name} validation grid (${((performance.now() - started) / 1000).toFixed(1)} s):`);
  for (const [label, ndcg] of Object.entries(tuning[0]!.validationNdcg)) console.log(`  ${ndcg.toFixed(4)}  ${label}`);
  const chosen = tuning[0]!.chosen;
  console.log(`  chosen: ${chosen}`);
  const cpu = { cpuSeconds: 0 };
  const report = evaluateHoldout({ holdout: test, userModels: [timedCpu(models[0]!, cpu)], itemModels: [] });
  const rowNew = report['next-30d-new'][tunable.name]!;
  const rowAll = report['next-30d-all'][tunable.name]!;
  const passes = which === 'bpr' ? numberAfter(chosen, 'epochs') : numberAfter(chosen, 'iterations');
  const flops = which === 'bpr' ? bprEpochFlops(shape, { factors: numberAfter(chosen, 'factors') }) : ialsSweepFlops(shape, { factors: numberAfter(chosen, 'factors'), cgSteps: numberAfter(chosen, 'cgSteps') });
  const result: Result = {
    model: tunable.name,
    backend: rowNew.backend,
    shape,
    validation: tuning[0]!.validationNdcg,
    chosen,
    test: { new: { ndcg: rowNew.ndcg, recall: rowNew.recall }, all: { ndcg: rowAll.ndcg, recall: rowAll.recall } },
    fitSeconds: rowNew.fitSeconds,
    cpuSeconds: cpu.cpuSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    gflopsPerPass: flops / 1e9,
    passes,
    gflopPerSecond: (flops * passes) / rowNew.fitSeconds / 1e9,
  };
  if (backend.name !== result.backend) throw new Error(`backend ${backend.name} chosen, model reports ${result.backend}`);
  console.log(`${MARK}${JSON.stringify(result)}`);
}

function runAll(): void {
  console.log(`${machine()}; ${CSV}`);
  const results: Result[] = [];
  for (const which of ['ials', 'bpr'] as const) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--only', which], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`${which} run exited with ${child.status}`);
    const lines = child.stdout.trimEnd().split('\n');
    for (const line of lines) if (!line.startsWith(MARK)) console.log(line);
    results.push(JSON.parse(lines.find((l) => l.startsWith(MARK))!.slice(MARK.length)) as Result);
  }
  const { shape } = results[0]!;
  console.log(`\ntest training: ${shape.users} users × ${shape.items} items, ${shape.pairs} pairs`);
  const cells = (r: Result) => [
    r.model,
    r.backend,
    r.test.new.ndcg.toFixed(4),
    r.test.new.recall.toFixed(4),
    r.test.all.ndcg.toFixed(4),
    r.test.all.recall.toFixed(4),
    r.fitSeconds.toFixed(2),
    r.cpuSeconds.toFixed(2),
    r.peakRssMiB.toFixed(0),
    `${r.gflopsPerPass.toFixed(3)} × ${r.passes}`,
    r.gflopPerSecond.toFixed(2),
  ];
  const header = ['model', 'backend', 'new ndcg@10', 'new recall@10', 'all ndcg@10', 'all recall@10', 'fit s', 'CPU s', 'peak RSS MiB', 'GFLOP/pass × passes', 'GFLOP/s'];
  const rows = [header, ...results.map(cells)];
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padStart(widths[c]!)).join('  '));
  for (const r of results) console.log(`${r.model} chosen on validation: ${r.chosen}`);
}

const only = process.argv.indexOf('--only');
const main = only >= 0 ? runOne(process.argv[only + 1] as 'bpr' | 'ials') : Promise.resolve(runAll());
main.catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
