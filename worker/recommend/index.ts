/**
 * Recommendation models and their offline evaluation (docs/evaluation.md). Plain-TypeScript
 * baselines live in models/; the protocol every model is judged by lives in evaluation/.
 */
export * from './evaluation';
export * from './models';
export { evaluateRetailFile, type EvaluateFileOptions, type EvaluationSummary, type FileEvaluation } from './evaluate-file';
