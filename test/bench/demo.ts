// npm run bench:demo — `shelfwise demo --fast` as a newcomer runs it (issue 8: "the whole demo
// finishes in under a minute"): BENCH_RUNS (3) runs of the real bin, each on a fresh data
// directory against the local Redis (REDIS_URL, default 127.0.0.1:6379), one at a time. Prints
// each run's wall time and its phases, timed by when the demo's lines arrive (start-up to the
// "web process at" line, load to the store summary, train to the training report, shoppers to
// their summary, then shutdown to exit) beside the figures the demo prints itself, and the
// medians; with the machine, its load average and the commit. BENCH_DEMO_ARGS adds arguments.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Redis } from 'ioredis';
import { deleteKeys } from '../support/runtime';
import { machine, median } from './support/child';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'shared', 'cli', 'bin.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EXTRA = (process.env.BENCH_DEMO_ARGS ?? '').split(' ').filter(Boolean);

/** Phase ends, in the order the demo reaches them: the first stdout line matching each. */
const MARKS = [
  ['startup', /^web process at /],
  ['load', /^in the store for /],
  ['train', /^training run for /],
  ['shoppers', /^shopper sessions/],
] as const;
type Phase = (typeof MARKS)[number][0] | 'shutdown';

interface Run {
  wallS: number;
  phases: Partial<Record<Phase, number>>;
  /** What the demo says itself: load "after X s", training "total X s", shoppers "; X s". */
  printed: { loadS?: number; trainS?: number; shoppersS?: number };
  summary: string;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

function demoFlags(): string[] {
  const help = execFileSync(process.execPath, [BIN, 'demo', '--help'], { cwd: ROOT, encoding: 'utf8' });
  // Once the demo serves by default, --no-serve makes it exit after loading.
  return ['--fast', '--no-progress', ...(/--no-serve\b/.test(help) ? ['--no-serve'] : []), ...EXTRA];
}

async function runOnce(flags: string[]): Promise<Run> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-bench-demo-'));
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  const ends: Partial<Record<Phase, number>> = {};
  const lines: string[] = [];
  try {
    const child = spawn(process.execPath, [BIN, 'demo', ...flags], {
      cwd: ROOT,
      env: { ...process.env, SHELFWISE_DATA_DIR: dataDir, REDIS_URL },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      for (const [phase, pattern] of MARKS) if (ends[phase] === undefined && pattern.test(line)) ends[phase] = seconds();
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    const wallS = seconds();
    if (code !== 0) throw new Error(`demo exited ${code}:\n${lines.slice(-20).join('\n')}`);
    ends.shutdown = wallS;
    // Each phase's time is from the end of the one before it that was reached.
    const phases: Partial<Record<Phase, number>> = {};
    let previous = 0;
    for (const phase of [...MARKS.map(([p]) => p), 'shutdown'] as Phase[]) {
      const end = ends[phase];
      if (end === undefined) continue;
      phases[phase] = end - previous;
      previous = end;
    }
    const out = lines.join('\n');
    const number = (pattern: RegExp) => {
      const m = pattern.exec(out);
      return m ? Number(m[1]) : undefined;
    };
    return {
      wallS,
      phases,
      printed: {
        loadS: number(/^in the store for [^\n]* after ([\d.]+) s:/m),
        trainS: number(/^snapshot [^\n]*total ([\d.]+) s$/m),
        shoppersS: number(/^shopper sessions [^\n]*; ([\d.]+) s$/m),
      },
      summary: [/^\s+deliveries: [^\n]*/m, /^\s+orders: [^\n]*/m, /^training run for [^\n]*/m]
        .map((p) => p.exec(out)?.[0].trim().slice(0, 160))
        .filter(Boolean)
        .join('\n    '),
    };
  } finally {
    const secrets = path.join(dataDir, 'dev-secrets.json');
    if (fs.existsSync(secrets)) {
      const redis = new Redis(REDIS_URL);
      await deleteKeys(redis, `${JSON.parse(fs.readFileSync(secrets, 'utf8')).QUEUE_PREFIX}:*`);
      await redis.quit();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const s = (x: number | undefined) => (x === undefined ? '-' : `${x.toFixed(1)} s`);

async function main() {
  const flags = demoFlags();
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const dirty = git(['status', '--porcelain', '--', 'shared', 'app', 'worker']) ? ' (uncommitted changes in shared/app/worker)' : '';
  console.log(`bench:demo — shelfwise demo ${flags.join(' ')}, ${RUNS} runs, fresh data directory each, Redis ${REDIS_URL}`);
  console.log(`machine: ${machine()}; load average ${load()}`);
  console.log(`commit: ${git(['rev-parse', '--short', 'HEAD'])}${dirty}`);
  const runs: Run[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const run = await runOnce(flags);
    runs.push(run);
    const p = run.phases;
    console.log(
      `run ${i}: wall ${s(run.wallS)} = startup ${s(p.startup)} + load ${s(p.load)} + train ${s(p.train)} + shoppers ${s(p.shoppers)} + shutdown ${s(p.shutdown)}` +
        ` (printed: load ${s(run.printed.loadS)}, train ${s(run.printed.trainS)}, shoppers ${s(run.printed.shoppersS)}); load average ${load()}`,
    );
    console.log(`    ${run.summary}`);
  }
  const med = (pick: (r: Run) => number | undefined) => {
    const values = runs.map(pick).filter((x): x is number => x !== undefined);
    return values.length ? median(values) : undefined;
  };
  console.log(
    `median: wall ${s(med((r) => r.wallS))} = startup ${s(med((r) => r.phases.startup))} + load ${s(med((r) => r.phases.load))} + train ${s(med((r) => r.phases.train))}` +
      ` + shoppers ${s(med((r) => r.phases.shoppers))} + shutdown ${s(med((r) => r.phases.shutdown))}; under a minute: ${(med((r) => r.wallS) ?? Infinity) < 60 ? 'yes' : 'NO'}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
