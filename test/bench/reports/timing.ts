import { performance } from 'node:perf_hooks';

/** One measured metric: every timed call's duration in ms, and its target. */
export interface Measurement {
  metric: string;
  durationsMs: number[];
  /** Target for p95, in ms. */
  targetMs: number;
}

/** Exact percentile (nearest rank) of `values`, 0 < p ≤ 100. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/**
 * Calls `run` `warmups` times untimed, then `runs` times one after another, timing each call
 * (ms, wall clock); `before` runs untimed ahead of every call.
 */
export async function timeCalls(run: () => Promise<unknown>, options: { warmups: number; runs: number; before?: () => Promise<unknown> }): Promise<number[]> {
  for (let i = 0; i < options.warmups; i++) {
    await options.before?.();
    await run();
  }
  const durations: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    // Untimed preparation of each call (e.g. making an order new again).
    await options.before?.();
    const started = performance.now();
    await run();
    durations.push(performance.now() - started);
  }
  return durations;
}

/** Seconds since `started` (a performance.now() reading), one decimal. */
export function secondsSince(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(1);
}

/** The markdown table of the figures: metric, runs, median, p95, max, target, pass. */
export function measurementTable(measurements: readonly Measurement[]): string {
  const ms = (x: number) => x.toFixed(1);
  const lines = ['| metric | runs | median ms | p95 ms | max ms | target (p95) | pass |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const m of measurements) {
    const p95 = percentile(m.durationsMs, 95);
    lines.push(
      `| ${m.metric} | ${m.durationsMs.length} | ${ms(percentile(m.durationsMs, 50))} | ${ms(p95)} | ${ms(Math.max(...m.durationsMs))} | ≤ ${m.targetMs} ms | ${p95 <= m.targetMs ? 'yes' : 'NO'} |`,
    );
  }
  return lines.join('\n');
}
