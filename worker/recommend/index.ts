/**
 * Recommendation models and their offline evaluation (docs/evaluation.md). Plain-TypeScript
 * baselines live in models/; the protocol every model is judged by lives in evaluation/.
 */
export * from './evaluation';
export * from './models';
export { evaluateRetailFile, type EvaluateFileOptions, type EvaluationSummary, type FileEvaluation } from './evaluate-file';
export { chooseTfBackend, type BackendChoice, type ChooseBackendOptions, type TfBackendName } from './tf/backend';
export { tuneOnValidation, type TunableUserModel, type TuningResult } from './tune-on-validation';
export * from './placements';
export { BLEND_ROW } from './evaluate-file';
export { evaluatePlacements, type PlacementTuning, type ProtocolRows } from './evaluate-placements';
