// npm run bench:demo — `shelfwise demo --fast` as a newcomer runs it (issue 8: "the whole demo
// finishes in under a minute"): BENCH_RUNS (3) runs of the real bin, serving as it does by
// default, each on a fresh data directory, one at a time, against REDIS_URL (default
// 127.0.0.1:6379; where none answers the demo starts a private one). The headline figure is the
// time until the demo prints its URLs ("… — Ctrl-C to stop"): what a newcomer waits for. Then the
// bench sends Ctrl-C (SIGINT to the demo's process group, as a terminal does) and times the
// shutdown to exit separately. Phases are timed by when the demo's lines arrive (start-up to the
// "web process at" line, load to the store summary, train to the training report, shoppers to
// their summary, serve to the Ctrl-C line), beside the figures the demo prints itself, with the
// medians, the machine, its load average and the commit. BENCH_DEMO_ARGS adds arguments.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Redis } from 'ioredis';
import { displayRedisUrl } from '../../shared/cli/local-redis';
import { deleteKeys } from '../support/runtime';
import { machine, median } from './support/child';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'shared', 'cli', 'bin.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EXTRA = (process.env.BENCH_DEMO_ARGS ?? '').split(' ').filter(Boolean);
const FLAGS = ['--fast', '--no-progress', ...EXTRA];
/** How long a run may take to print its URLs before the bench gives up on it. */
const URLS_LIMIT_MS = 15 * 60_000;

/** Phase ends, in the order the demo reaches them: the first stdout line matching each. */
const MARKS = [
  ['startup', /^web process at /],
  ['load', /^in the store for /],
  ['train', /^training run for /],
  ['shoppers', /^shopper sessions/],
  ['serve', /— Ctrl-C to stop$/],
] as const;
type Phase = (typeof MARKS)[number][0];

interface Run {
  /** From spawn to the line that says the demo serves (its URLs printed). */
  urlsS: number;
  /** From the Ctrl-C to the demo's exit. */
  shutdownS: number;
  phases: Partial<Record<Phase, number>>;
  /** What the demo says itself: load "after X s", training "total X s", shoppers "; X s". */
  printed: { loadS?: number; trainS?: number; shoppersS?: number };
  privateRedis: boolean;
  summary: string;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

async function runOnce(): Promise<Run> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-bench-demo-'));
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  const ends: Partial<Record<Phase, number>> = {};
  const lines: string[] = [];
  // A private redis-server the demo started is gone with it; only the configured one keeps keys.
  let privateRedis = false;
  try {
    // Its own process group, so the Ctrl-C below reaches the demo as a terminal's would.
    const child = spawn(process.execPath, [BIN, 'demo', ...FLAGS], {
      cwd: ROOT,
      env: { ...process.env, SHELFWISE_DATA_DIR: dataDir, REDIS_URL },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    const closed = new Promise<number | NodeJS.Signals>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal!)));
    const serving = new Promise<void>((resolve) => {
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        lines.push(line);
        if (/started a private redis-server at /.test(line)) privateRedis = true;
        for (const [phase, pattern] of MARKS) if (ends[phase] === undefined && pattern.test(line)) ends[phase] = seconds();
        if (ends.serve !== undefined) resolve();
      });
    });
    let limit: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      serving.then(() => 'serving' as const),
      closed.then((code) => `exited ${code} before printing its URLs` as const),
      new Promise<string>((resolve) => (limit = setTimeout(() => resolve(`no URLs after ${URLS_LIMIT_MS / 60_000} min`), URLS_LIMIT_MS))),
    ]);
    clearTimeout(limit);
    if (outcome !== 'serving') {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
      await closed;
      throw new Error(`demo ${outcome}:\n${lines.slice(-20).join('\n')}`);
    }
    const urlsS = ends.serve!;
    process.kill(-child.pid!, 'SIGINT');
    const code = await closed;
    const shutdownS = seconds() - urlsS;
    if (code !== 0) throw new Error(`demo exited ${code} after Ctrl-C while serving:\n${lines.slice(-20).join('\n')}`);
    // Each phase's time is from the end of the one before it that was reached.
    const phases: Partial<Record<Phase, number>> = {};
    let previous = 0;
    for (const [phase] of MARKS) {
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
      urlsS,
      shutdownS,
      phases,
      privateRedis,
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
    if (!privateRedis && fs.existsSync(secrets)) {
      const redis = new Redis(REDIS_URL);
      await deleteKeys(redis, `${JSON.parse(fs.readFileSync(secrets, 'utf8')).QUEUE_PREFIX}:*`);
      await redis.quit();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const s = (x: number | undefined) => (x === undefined ? '-' : `${x.toFixed(1)} s`);

async function main() {
  const load = () =>
    os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  const dirty = git(['status', '--porcelain', '--', 'shared', 'app', 'worker']) ? ' (uncommitted changes in shared/app/worker)' : '';
  console.log(`bench:demo — shelfwise demo ${FLAGS.join(' ')}, serving until its URLs are printed, then Ctrl-C; ${RUNS} runs, fresh data directory each, REDIS_URL ${displayRedisUrl(REDIS_URL)}`);
  console.log(`machine: ${machine()}; load average ${load()}`);
  console.log(`commit: ${git(['rev-parse', '--short', 'HEAD'])}${dirty}`);
  const runs: Run[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const run = await runOnce();
    runs.push(run);
    const p = run.phases;
    console.log(
      `run ${i}: URLs after ${s(run.urlsS)} = startup ${s(p.startup)} + load ${s(p.load)} + train ${s(p.train)} + shoppers ${s(p.shoppers)} + serve ${s(p.serve)}; shutdown after Ctrl-C ${s(run.shutdownS)}` +
        ` (printed: load ${s(run.printed.loadS)}, train ${s(run.printed.trainS)}, shoppers ${s(run.printed.shoppersS)}; ${run.privateRedis ? 'private Redis' : 'REDIS_URL'}); load average ${load()}`,
    );
    console.log(`    ${run.summary}`);
  }
  const med = (pick: (r: Run) => number | undefined) => {
    const values = runs.map(pick).filter((x): x is number => x !== undefined);
    return values.length ? median(values) : undefined;
  };
  const urls = med((r) => r.urlsS);
  console.log(
    `median: URLs after ${s(urls)} = startup ${s(med((r) => r.phases.startup))} + load ${s(med((r) => r.phases.load))} + train ${s(med((r) => r.phases.train))}` +
      ` + shoppers ${s(med((r) => r.phases.shoppers))} + serve ${s(med((r) => r.phases.serve))}; shutdown after Ctrl-C ${s(med((r) => r.shutdownS))}`,
  );
  console.log(`time to URLs under a minute: ${(urls ?? Infinity) < 60 ? 'yes' : 'NO'}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
