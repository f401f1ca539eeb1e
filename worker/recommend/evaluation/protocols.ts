import type { BasketQuery, Holdout, TrainingSet, UserQuery } from './holdout';
import { K, MetricAccumulator, type RankingMetrics } from './metrics';
import type { ItemModel, ItemScorer, UserModel, UserScorer } from './model';
import { itemRecommender, userRecommender } from './recommend';

export const PROTOCOLS = ['next-30d-new', 'next-30d-all', 'fbt-30d'] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

export interface UserRankingOptions {
  /** `next-30d-new` removes each user's training items from the candidates. */
  excludeTrainingItems: boolean;
  k?: number;
}

/** Ranks the full catalog for each user query and scores it. */
export function scoreUserQueries(scorer: UserScorer, training: TrainingSet, queries: readonly UserQuery[], { excludeTrainingItems, k = K }: UserRankingOptions): RankingMetrics {
  const recommend = userRecommender(scorer, training);
  const metrics = new MetricAccumulator(training.interactions.cols, k);
  for (const { user, truth } of queries) metrics.add(recommend(user, { excludeBought: excludeTrainingItems, k }), truth);
  return metrics.result();
}

/** Ranks every catalog item but the anchor for each basket query and scores it. */
export function scoreBasketQueries(scorer: ItemScorer, training: TrainingSet, queries: readonly BasketQuery[], k = K): RankingMetrics {
  const recommend = itemRecommender(scorer, training);
  const metrics = new MetricAccumulator(training.interactions.cols, k);
  for (const { anchor, truth } of queries) metrics.add(recommend(anchor, k), truth);
  return metrics.result();
}

/** One model's row of the evaluation report. */
export interface ModelReport extends RankingMetrics {
  fitSeconds: number;
  /** The process's peak resident set size so far, read after the fit (it only grows). */
  peakRssBytes: number;
  /** The TensorFlow.js backend the model ran on; 'none' for plain TypeScript models. */
  backend: string;
}

export type EvaluationReport = Record<ProtocolName, Record<string, ModelReport>>;

export interface EvaluateHoldoutOptions {
  holdout: Holdout;
  /** Scored on `next-30d-new` and `next-30d-all`. */
  userModels: readonly UserModel[];
  /** Scored on `fbt-30d`. */
  itemModels: readonly ItemModel[];
  /** Monotonic milliseconds; tests pass a fixed clock. Default performance.now. */
  now?: () => number;
  /** Peak RSS in bytes. Default: process.resourceUsage().maxRSS. */
  peakRss?: () => number;
}

const processPeakRss = () => process.resourceUsage().maxRSS * 1024;

/** Fits every model once on the holdout's training data and scores it on each protocol. */
export function evaluateHoldout({ holdout, userModels, itemModels, now = () => performance.now(), peakRss = processPeakRss }: EvaluateHoldoutOptions): EvaluationReport {
  const report: EvaluationReport = { 'next-30d-new': {}, 'next-30d-all': {}, 'fbt-30d': {} };
  const { training } = holdout;
  for (const model of userModels) {
    const started = now();
    const scorer = model.fit(training);
    const fit = { fitSeconds: (now() - started) / 1000, peakRssBytes: peakRss(), backend: model.backend ?? 'none' };
    report['next-30d-new'][model.name] = { ...scoreUserQueries(scorer, training, holdout.newItemQueries, { excludeTrainingItems: true }), ...fit };
    report['next-30d-all'][model.name] = { ...scoreUserQueries(scorer, training, holdout.allItemQueries, { excludeTrainingItems: false }), ...fit };
  }
  for (const model of itemModels) {
    const started = now();
    const scorer = model.fit(training);
    const fit = { fitSeconds: (now() - started) / 1000, peakRssBytes: peakRss(), backend: 'none' };
    report['fbt-30d'][model.name] = { ...scoreBasketQueries(scorer, training, holdout.basketQueries), ...fit };
  }
  return report;
}
