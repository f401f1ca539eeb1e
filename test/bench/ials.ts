// npm run bench:ials — iALS fit time, FLOPs of one sweep and achieved GFLOP/s on the test split
// of the development dataset (the configuration `shelfwise eval` chose on validation), on the
// TensorFlow.js backend this machine loads. BENCH_CSV=file, BENCH_RUNS=3, BENCH_ITERATIONS=15.
import { DEFAULT_CSV } from '../../shared/cli/commands/demo';
import { fitIals, ialsSweepFlops, protocolHoldouts, readPurchaseLog, type IalsOptions } from '../../worker/recommend';
import { chooseTfBackend } from '../../worker/recommend/tf/backend';
import { machine, median } from './support/child';

const CSV = process.env.BENCH_CSV ?? DEFAULT_CSV;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 15);

async function main(): Promise<void> {
  const backend = await chooseTfBackend({ log: (m) => console.log(m) });
  const { test } = protocolHoldouts(await readPurchaseLog(CSV));
  const m = test.training.interactions;
  const options: IalsOptions = { factors: 64, iterations: ITERATIONS, cgSteps: 3, reg: 1, alpha: 5, seed: 1 };
  const flops = ialsSweepFlops({ users: m.rows, items: m.cols, pairs: m.indices.length }, options);
  console.log(`${machine()}; backend ${backend.name}; ${m.rows} users × ${m.cols} items, ${m.indices.length} pairs; ${JSON.stringify(options)}`);
  console.log(`FLOPs per sweep: ${(flops / 1e9).toFixed(3)} G`);
  const seconds: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    fitIals(m, options);
    seconds.push((performance.now() - started) / 1000);
    console.log(`run ${run + 1}: ${seconds[run]!.toFixed(2)} s, ${((flops * ITERATIONS) / seconds[run]! / 1e9).toFixed(2)} GFLOP/s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  }
  const mid = median(seconds);
  console.log(`median: ${mid.toFixed(2)} s for ${ITERATIONS} sweeps (${(mid / ITERATIONS).toFixed(3)} s/sweep), ${((flops * ITERATIONS) / mid / 1e9).toFixed(2)} GFLOP/s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
