/**
 * Per-shop training runs: snapshot the store, fit and judge each placement's blend, record a
 * model version, publish its top-k lists to Redis if it is not worse than the serving one.
 * `trainFromLog` is the pure core (no DB or Redis), safe to run in a child process.
 */
export { ConcurrentPublishError } from './concurrent-publish-error';
export { runTraining, type RunTimings, type RunTrainingOptions, type TrainingRun } from './run-training';
export {
  trainFromLog,
  BLEND,
  DEFAULT_THRESHOLDS,
  LIST_LENGTH,
  type DataCounts,
  type FitFunction,
  type NotEnoughData,
  type ProtocolMetrics,
  type ServingLists,
  type Trained,
  type TrainInput,
  type TrainingThresholds,
  type TrainOutcome,
} from './train-from-log';
export { snapshotStore, type StoreSnapshot } from './snapshot';
export { DEFAULT_PUBLISH_POLICY, judgeCandidate, type PublishPolicy, type Verdict } from './publish-policy';
export { cleanupVersions, servingVersion, switchServing, writeVersionLists, writtenVersions, type CleanupOptions } from './publish';
export {
  modelVersion,
  modelVersionsOf,
  trainingStatusOf,
  saveTrainingStatus,
  VERSION_STATUSES,
  TRAINING_STATES,
  type DataSnapshot,
  type ModelVersion,
  type TrainingState,
  type TrainingStatus,
  type VersionStatus,
} from './model-versions';
