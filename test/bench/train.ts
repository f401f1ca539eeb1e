// npm run bench:train — fit time and peak RSS per model on the development data (the test
// split's training data, as `shelfwise eval` fits it), the placement blends (tune on validation +
// fit), the whole pipeline (trainFromLog), and iALS and capped EASE on a synthetic store of
// 1,000,000 interactions (test/bench/synthetic-store.ts). Every run is a fresh Node process
// (test/bench/train-case.ts), so a peak RSS is that case's alone; the cases run one at a time.
// BENCH_CSV=file, BENCH_RUNS=3 (dev cases; median reported), BENCH_BIG_RUNS=1 (1M cases),
// BENCH_ONLY=comma-separated case names, BENCH_IALS_ITERATIONS=15.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { DEFAULT_CSV } from '../../shared/cli/commands/demo';
import { protocolHoldouts, readPurchaseLog } from '../../worker/recommend';
import { chooseTfBackend } from '../../worker/recommend/tf/backend';
import { machine, median } from './support/child';
import { CASES, type CaseName, type CaseResult } from './train-case';

const CSV = process.env.BENCH_CSV ?? DEFAULT_CSV;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BIG_RUNS = Number(process.env.BENCH_BIG_RUNS ?? 1);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const ROOT = path.resolve(__dirname, '../..');

function runCase(name: CaseName, data: string): CaseResult {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(__dirname, 'train-case.ts')], {
    cwd: ROOT,
    env: { ...process.env, BENCH_CASE: name, BENCH_DATA: data },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(last || '{}') as CaseResult & { error?: string };
  if (parsed.error || child.status !== 0) throw new Error(`${name}: ${parsed.error ?? `exited with ${child.status}`}`);
  return parsed;
}

const fixed = (x: number, digits = 2) => x.toFixed(digits);

async function main(): Promise<void> {
  const backend = await chooseTfBackend();
  console.log(`${machine()}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; TensorFlow.js backend ${backend.name}`);
  const cases = CASES.filter((c) => !ONLY || ONLY.includes(c) || ONLY.includes(c.split(':')[0]!));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-train-'));
  const data = path.join(dir, 'dev.v8');
  try {
    if (cases.some((c) => c.startsWith('dev:'))) {
      const started = performance.now();
      const log = await readPurchaseLog(CSV);
      const holdouts = protocolHoldouts(log);
      writeFileSync(data, v8.serialize({ log, holdouts }));
      console.log(`${path.basename(CSV)}: read and split in ${fixed((performance.now() - started) / 1000, 1)} s (not part of any figure below)`);
    }
    console.log('| case | seconds (median) | runs (s) | CPU s (median run) | peak RSS MiB (max) | RSS before fit MiB | FLOPs | GFLOP/s (median) | parts (s, median run) | shape |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    const summary: Record<string, unknown> = {};
    for (const name of cases) {
      const runs = name.startsWith('1m:') ? BIG_RUNS : RUNS;
      const results: CaseResult[] = [];
      try {
        for (let r = 0; r < runs; r++) results.push(runCase(name, data));
      } catch (error) {
        console.log(`| ${name} | failed: ${error instanceof Error ? error.message : String(error)} | | | | | | | | |`);
        continue;
      }
      const seconds = results.map((r) => r.seconds);
      const mid = median(seconds);
      const middle = results.find((r) => r.seconds === mid) ?? results[0]!;
      const flops = middle.flops;
      const gflops = flops ? fixed(flops / mid / 1e9) : '';
      const parts = Object.entries(middle.parts ?? {}).map(([k, v]) => `${k} ${typeof v === 'number' ? fixed(v) : JSON.stringify(v)}`).join(', ');
      const peak = Math.max(...results.map((r) => r.peakRssMiB));
      console.log(`| ${name} | ${fixed(mid)} | ${seconds.map((s) => fixed(s)).join(' · ')} | ${fixed(middle.cpuSeconds)} | ${peak} | ${middle.baselineRssMiB} | ${flops ? `${fixed(flops / 1e9, 1)} G` : ''} | ${gflops} | ${parts} | ${middle.shape ?? ''} |`);
      if (flops) console.log(`|   (FLOPs: ${middle.flopsOf}) | | | | | | | | | |`);
      summary[name] = { seconds, medianSeconds: mid, cpuSeconds: middle.cpuSeconds, peakRssMiB: peak, backend: middle.backend, flops, parts: middle.parts };
      console.error(`${name}: done, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    }
    console.log(JSON.stringify({ machine: machine(), backend: backend.name, cases: summary }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
