// One case of `npm run bench:train`, run in a fresh Node process so its peak RSS is its own:
// BENCH_CASE names it, BENCH_DATA is the file of prepared development data (v8-serialised) for
// the cases on it. Prints one JSON line: seconds, peak RSS, backend, FLOPs where counted.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import type { ProtocolHoldouts, PurchaseLog, TrainingSet } from '../../worker/recommend/evaluation';
import { spdInverseFlops } from '../../worker/recommend/linalg';
import { buyAgainModel, coOccurrenceModel, fitIals, ialsSweepFlops, popularityModel, type IalsOptions } from '../../worker/recommend/models';
import { EASE_MAX_ITEMS, easeModel, easeVocabulary } from '../../worker/recommend/models/ease';
import { cartBlend, forYouBlend, productBlend, type PlacementBlend } from '../../worker/recommend/placements';
import { chooseTfBackend } from '../../worker/recommend/tf/backend';
import { syntheticStore } from './synthetic-store';

/** What `shelfwise eval` chose for iALS on the development data's validation window. */
export const IALS_BENCH_OPTIONS: IalsOptions = { factors: 64, iterations: 15, cgSteps: 3, reg: 1, alpha: 5, seed: 1 };

export interface CaseResult {
  case: string;
  seconds: number;
  /** CPU seconds (user + system) of the process over the same span: what the fit cost whatever else ran on the machine. */
  cpuSeconds: number;
  /** Peak RSS of the process (the data loaded, then the fit), and RSS before the fit. */
  peakRssMiB: number;
  baselineRssMiB: number;
  backend: string;
  /** Floating-point operations of the timed work where counted, and what they count. */
  flops?: number;
  flopsOf?: string;
  shape?: string;
  /** Seconds of parts of the case (e.g. a blend's tune and fit). */
  parts?: Record<string, number>;
}

/** What a case's work reports; the runner adds the rest. */
type Work = Omit<CaseResult, 'case' | 'cpuSeconds' | 'peakRssMiB' | 'baselineRssMiB' | 'backend'>;

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const peakRss = () => mib(process.resourceUsage().maxRSS * 1024);

function timed<T>(work: () => T): { value: T; seconds: number } {
  const started = performance.now();
  const value = work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

function shapeOf(t: TrainingSet): string {
  return `${t.interactions.rows} users × ${t.interactions.cols} items, ${t.interactions.indices.length} pairs`;
}

function easeCase(training: TrainingSet): Work {
  const n = easeVocabulary(training.interactions, EASE_MAX_ITEMS).length;
  const { seconds } = timed(() => easeModel({ lambda: 500 }).fit(training));
  return { seconds, flops: spdInverseFlops(n), flopsOf: `(XᵀX + λI)⁻¹ over ${n} items (the gram and B's scaling not counted)`, shape: shapeOf(training) };
}

function ialsCase(training: TrainingSet): Work {
  const m = training.interactions;
  const iterations = Number(process.env.BENCH_IALS_ITERATIONS ?? IALS_BENCH_OPTIONS.iterations);
  const options = { ...IALS_BENCH_OPTIONS, iterations };
  const { seconds } = timed(() => fitIals(m, options));
  const sweep = ialsSweepFlops({ users: m.rows, items: m.cols, pairs: m.indices.length }, options);
  return { seconds, flops: sweep * iterations, flopsOf: `${iterations} sweeps × ${(sweep / 1e9).toFixed(3)} GFLOP (ialsSweepFlops)`, shape: shapeOf(training) };
}

function blendCase<S>(blend: PlacementBlend<S>, { validation, test }: ProtocolHoldouts): Work {
  const tune = timed(() => blend.tune(validation));
  const fit = timed(() => blend.fit(test.training, tune.value));
  return { seconds: tune.seconds + fit.seconds, parts: { tune: tune.seconds, fit: fit.seconds }, shape: shapeOf(test.training) };
}

const TRAIN_FROM_LOG = path.resolve(__dirname, '../../worker/train/train-from-log.ts');

async function pipelineCase(log: PurchaseLog): Promise<Work> {
  if (!existsSync(TRAIN_FROM_LOG)) throw new Error(`${TRAIN_FROM_LOG} does not exist`);
  // Loaded by path, untyped: another engineer owns it and its types may move.
  const { trainFromLog } = (await import(TRAIN_FROM_LOG)) as { trainFromLog: (input: unknown) => Promise<{ status: string; phases?: Record<string, number> }> };
  const products = log.stockCodes.map((code, i) => ({ code, text: log.descriptions[i] ?? '' }));
  const started = performance.now();
  const outcome = await trainFromLog({ log, products });
  const seconds = (performance.now() - started) / 1000;
  if (outcome.status !== 'trained') throw new Error(`trainFromLog ended ${outcome.status}`);
  return { seconds, parts: outcome.phases, shape: `${log.time.length} rows, ${log.invoices.length} orders, ${log.customerIds.length} customers, ${log.stockCodes.length} products` };
}

/** The cases; `dev:` ones need BENCH_DATA, `1m:` ones build the synthetic store themselves. */
export const CASES = ['dev:popularity', 'dev:buy again', 'dev:co-occurrence', 'dev:EASE', 'dev:iALS', 'dev:blend for_you', 'dev:blend product', 'dev:blend cart', 'dev:pipeline', '1m:iALS', '1m:EASE capped'] as const;
export type CaseName = (typeof CASES)[number];

async function run(name: CaseName): Promise<CaseResult> {
  const { name: backend } = await chooseTfBackend();
  let work: () => Promise<Work>;
  if (name.startsWith('1m:')) {
    const { training } = syntheticStore();
    work = async () => (name === '1m:iALS' ? ialsCase(training) : easeCase(training));
  } else {
    const data = v8.deserialize(readFileSync(process.env.BENCH_DATA!)) as { log: PurchaseLog; holdouts: ProtocolHoldouts };
    const training = data.holdouts.test.training;
    const simple = (fit: () => unknown) => async () => ({ seconds: timed(fit).seconds, shape: shapeOf(training) });
    const cases: Record<string, typeof work> = {
      'dev:popularity': simple(() => popularityModel.fit(training)),
      'dev:buy again': simple(() => buyAgainModel.fit(training)),
      'dev:co-occurrence': simple(() => coOccurrenceModel.fit(training)),
      'dev:EASE': async () => easeCase(training),
      'dev:iALS': async () => ialsCase(training),
      'dev:blend for_you': async () => blendCase(forYouBlend, data.holdouts),
      'dev:blend product': async () => blendCase(productBlend, data.holdouts),
      'dev:blend cart': async () => blendCase(cartBlend, data.holdouts),
      'dev:pipeline': () => pipelineCase(data.log),
    };
    work = cases[name]!;
  }
  const baselineRssMiB = mib(process.memoryUsage.rss());
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { case: name, ...result, cpuSeconds: (used.user + used.system) / 1e6, peakRssMiB: peakRss(), baselineRssMiB, backend };
}

if (require.main === module) {
  const name = process.env.BENCH_CASE as CaseName;
  if (!CASES.includes(name)) throw new Error(`BENCH_CASE must be one of ${CASES.join(', ')}`);
  run(name).then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.log(JSON.stringify({ case: name, error: error instanceof Error ? error.message : String(error) }));
      process.exitCode = 1;
    },
  );
}
