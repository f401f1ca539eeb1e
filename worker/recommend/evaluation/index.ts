/**
 * The offline evaluation protocol of docs/evaluation.md: clean an Online Retail layout file,
 * split it in time, build the `next-30d-new`, `next-30d-all` and `fbt-30d` queries, and score
 * models at K = 10. Every model Shelfwise trains is judged by this code and nothing else.
 */
export { cleanRow, wallClockSeconds, formatWallClock, type CleanOutcome, type CleanPurchase, type DropReason, type RawPurchaseFields } from './clean-row';
export { readCsvRecords, splitCsvRecord } from './csv-records';
export { PurchaseLogBuilder, readPurchaseLog, type PurchaseLog } from './purchase-log';
export { evaluationWindows, WINDOW_DAYS, type EvaluationWindows } from './windows';
export { protocolHoldouts, type ProtocolHoldouts } from './protocol-holdouts';
export { buildHoldout, type BasketQuery, type Holdout, type HoldoutOptions, type TrainingSet, type UserQuery } from './holdout';
export { seededRandom, FBT_ANCHOR_SEED } from './seeded-random';
export { sparseFromRows, columnCounts, type SparseMatrix } from './sparse-matrix';
export { topK } from './top-k';
export { itemRecommender, userRecommender, type UserListOptions } from './recommend';
export { K, MetricAccumulator, type RankingMetrics } from './metrics';
export type { ItemModel, ItemScorer, UserModel, UserScorer } from './model';
export { PROTOCOLS, evaluateHoldout, scoreBasketQueries, scoreUserQueries, type EvaluateHoldoutOptions, type EvaluationReport, type ModelReport, type ProtocolName, type UserRankingOptions } from './protocols';
