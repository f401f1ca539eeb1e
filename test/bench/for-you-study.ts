// Dev study of the "Recommended for you" blend (not an npm script):
//   npx tsx test/bench/for-you-study.ts [file.csv.gz]
// Chooses the blend on the validation window, refits it on training and scores it once on test;
// prints each component's and the blend's ndcg@10 on next-30d-new / next-30d-all for both
// windows, the chosen weights and parameters, and the tune and fit seconds.
import os from 'node:os';
import { DEFAULT_CSV } from '../../shared/cli/commands/demo';
import { buildHoldout, FBT_ANCHOR_SEED, protocolHoldouts, readPurchaseLog, scoreUserQueries, type Holdout, type UserScorer } from '../../worker/recommend/evaluation';
import { buyAgainModel } from '../../worker/recommend/models/buy-again';
import { distinctBuyers } from '../../worker/recommend/models/popularity';
import { itemKnnModel } from '../../worker/recommend/models/item-knn';
import { recencyBuyAgain } from '../../worker/recommend/models/recency-buy-again';
import { fitRecencyEase } from '../../worker/recommend/models/recency-ease';
import { trendingModel } from '../../worker/recommend/models/trending';
import { forYouBlend } from '../../worker/recommend/placements/for-you';
import type { BlendChoice } from '../../worker/recommend/placements/contract';
import { chooseTfBackend } from '../../worker/recommend/tf/backend';
import { machine } from './support/child';

const CSV = process.argv[2] ?? DEFAULT_CSV;
const seconds = (from: number) => (performance.now() - from) / 1000;
/** CPU seconds of this process since `from` (user + system): steadier than wall time on a shared machine. */
const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

function ndcg(scorer: UserScorer, holdout: Holdout): { new: number; all: number } {
  const { training } = holdout;
  return {
    new: scoreUserQueries(scorer, training, holdout.newItemQueries, { excludeTrainingItems: true }).ndcg,
    all: scoreUserQueries(scorer, training, holdout.allItemQueries, { excludeTrainingItems: false }).ndcg,
  };
}

/** Each component alone with the chosen parameters: what the blend adds over its parts. */
function components(holdout: Holdout, choice: BlendChoice): Record<string, { new: number; all: number }> {
  const { training } = holdout;
  const p = choice.parameters as Record<string, number>;
  const ease = fitRecencyEase(training, { lambda: p.easeLambda, maxItems: p.easeMaxItems });
  const repeat = recencyBuyAgain(training, { halfLifeDays: p.repeatHalfLifeDays!, floor: p.repeatHalfLifeDays! >= 10_000 ? 0 : 0.3, propensity: p.repeatPropensity! });
  const popularity = buyAgainModel.fit(training);
  const buyers = distinctBuyers(training);
  const most = Math.max(...buyers);
  return {
    [`EASE^R λ${p.easeLambda} binary history (${p.easeMaxItems} most-bought items)`]: ndcg((u, s) => ease.score(u, s, { halfLifeDays: Infinity, floor: 0 }), holdout),
    [`EASE^R recency history (half-life ${p.historyHalfLifeDays} d, floor ${p.historyFloor})`]: ndcg((u, s) => ease.score(u, s, { halfLifeDays: p.historyHalfLifeDays!, floor: p.historyFloor! }), holdout),
    [`trending (half-life ${p.trendingHalfLifeDays} d)`]: ndcg(trendingModel({ halfLifeDays: p.trendingHalfLifeDays! }).fit(training), holdout),
    'item kNN, 100 neighbours (not in the blend: weight 0 on validation)': ndcg(itemKnnModel({ neighbours: 100 }).fit(training), holdout),
    'buy again (reference: frequency, ties by popularity)': ndcg(popularity, holdout),
    [`buy again with recency (half-life ${p.repeatHalfLifeDays} d, repeat rate^${p.repeatPropensity}), ties by popularity`]: ndcg((u, s) => {
      for (let i = 0; i < s.length; i++) s[i] = buyers[i]! / (most + 1);
      const own = new Float64Array(s.length);
      repeat(u, own);
      for (let i = 0; i < s.length; i++) if (own[i]! > 0) s[i]! += 1 + own[i]!;
    }, holdout),
  };
}

function print(window: string, rows: Record<string, { new: number; all: number }>): void {
  for (const [name, r] of Object.entries(rows)) console.log(`${window.padEnd(10)} ${name.padEnd(78)} new ${r.new.toFixed(4)}  all ${r.all.toFixed(4)}`);
}

async function main(): Promise<void> {
  const backend = await chooseTfBackend();
  console.log(`${machine()}; tfjs backend ${backend.name} (EASE's inverse); ${CSV}`);
  const log = await readPurchaseLog(CSV);
  const { windows, validation, test } = protocolHoldouts(log);
  let started = performance.now();
  let cpu = process.cpuUsage();
  const choice = forYouBlend.tune(validation);
  const tuneSeconds = seconds(started);
  const tuneCpu = cpuSeconds(cpu);
  console.log(`chosen weights ${JSON.stringify(choice.weights)}`);
  console.log(`chosen parameters ${JSON.stringify(choice.parameters)}`);
  console.log(`validation figures ${JSON.stringify(choice.validation)}`);
  started = performance.now();
  cpu = process.cpuUsage();
  const scorer = forYouBlend.fit(test.training, choice);
  const fitSeconds = seconds(started);
  const fitCpu = cpuSeconds(cpu);
  const scored = forYouBlend.evaluate(scorer, test);
  // The pipeline's last step: refit on every row (training + test window) for serving.
  const everything = buildHoldout(log, { cutoff: windows.end, windowEnd: windows.end, seed: FBT_ANCHOR_SEED }).training;
  started = performance.now();
  cpu = process.cpuUsage();
  forYouBlend.fit(everything, choice);
  const refitSeconds = seconds(started);
  const refitCpu = cpuSeconds(cpu);
  console.log(`tune ${tuneSeconds.toFixed(1)} s wall / ${tuneCpu.toFixed(1)} s CPU (validation fit + grid), fit ${fitSeconds.toFixed(1)} s wall / ${fitCpu.toFixed(1)} s CPU (test training), final refit ${refitSeconds.toFixed(1)} s wall / ${refitCpu.toFixed(1)} s CPU (every row); load average ${os.loadavg()[0]!.toFixed(1)}`);
  // The blend's validation figures are the ones tune chose on (same scorer code, same fit).
  const validationBlend = { new: choice.validation['next-30d-new ndcg@10']!, all: choice.validation['next-30d-all ndcg@10']! };
  print('validation', { ...components(validation, choice), 'for_you blend': validationBlend });
  print('test', { ...components(test, choice), 'for_you blend': { new: scored['next-30d-new']!.ndcg, all: scored['next-30d-all']!.ndcg } });
  console.log('reference best on test (docs/evaluation.md): next-30d-new EASE^R λ500 0.1051, next-30d-all buy again 0.3607');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
