import { evaluateHoldout, formatWallClock, protocolHoldouts, readPurchaseLog, type EvaluationReport, type ItemModel, type ItemScorer, type PurchaseLog, type UserModel, type UserScorer } from './evaluation';
import { evaluatePlacements, type PlacementTuning, type ProtocolRows } from './evaluate-placements';
import { baselineItemModels, baselineUserModels, coOccurrenceModel, tunedUserModels } from './models';
import { cartBlend, forYouBlend, productBlend, type PlacementBlend } from './placements';
import { chooseTfBackend } from './tf/backend';
import { tuneOnValidation, type TunableUserModel, type TuningResult } from './tune-on-validation';

export interface EvaluateFileOptions {
  /** An Online Retail II layout file, `.csv` or `.csv.gz`. */
  path: string;
  /** Default: the plain-TypeScript baselines. */
  userModels?: readonly UserModel[];
  itemModels?: readonly ItemModel[];
  /** Models with hyperparameters, tuned on the validation window first. Default: iALS on its grid. */
  tunedModels?: readonly TunableUserModel[];
  /**
   * The placement blends (weights chosen on validation, scored once on test). Default: the
   * production blends of worker/recommend/placements; `null` leaves them out.
   */
  placements?: { forYou: PlacementBlend<UserScorer>; itemBlends: readonly PlacementBlend<ItemScorer>[] } | null;
  /** Told which TensorFlow.js backend was chosen, once per process. Default: silent. */
  log?: (message: string) => void;
  /** Monotonic milliseconds (fit timing). Default performance.now. */
  now?: () => number;
  /** Peak RSS in bytes. Default: the process's. */
  peakRss?: () => number;
}

/** What the split produced: the figures docs/evaluation.md publishes beside its numbers. */
export interface EvaluationSummary {
  rowsRead: number;
  rowsKept: number;
  dropped: PurchaseLog['dropped'];
  end: string;
  testStart: string;
  validationStart: string;
  trainingCustomers: number;
  trainingItems: number;
  trainingPairs: number;
  trainingBaskets: number;
  /** The TensorFlow.js backend the tfjs models ran on. */
  tfBackend: string;
  /** What each tuned model chose on the validation window. */
  tuning: TuningResult[];
  /** What each placement's blend chose on the validation window. */
  placements: PlacementTuning[];
}

/** The row name of each placement's blend in the report. */
export const BLEND_ROW = 'blend';

export interface FileEvaluation {
  summary: EvaluationSummary;
  /** The three protocols of docs/evaluation.md, then any a blend adds (`cart-30d`). */
  report: EvaluationReport & ProtocolRows;
}

/**
 * The whole protocol on a file: clean, split at end − 30 days, choose each tunable model's
 * configuration on the validation window, then fit every model on training and score it once on
 * test. The baselines run with their documented settings.
 */
export async function evaluateRetailFile({
  path,
  userModels = baselineUserModels(),
  itemModels = baselineItemModels(),
  tunedModels = tunedUserModels(),
  placements = { forYou: forYouBlend, itemBlends: [productBlend, cartBlend] },
  log: tell,
  now = () => performance.now(),
  peakRss = () => process.resourceUsage().maxRSS * 1024,
}: EvaluateFileOptions): Promise<FileEvaluation> {
  // tfjs ops are synchronous only once a backend is ready: choose it before any model fits.
  const backend = await chooseTfBackend({ log: tell });
  const log = await readPurchaseLog(path);
  const { windows, validation, test: holdout } = protocolHoldouts(log);
  const tuned = tuneOnValidation(validation, tunedModels);
  const report: FileEvaluation['report'] = evaluateHoldout({ holdout, userModels: [...userModels, ...tuned.models], itemModels, now, peakRss });
  const { training } = holdout;
  // A blend needs someone to learn from on both windows; a file of 60 days or less has nobody.
  const learnable = validation.training.customerIds.length > 0 && training.customerIds.length > 0;
  let placementTuning: PlacementTuning[] = [];
  if (placements && learnable) {
    const blends = evaluatePlacements({ validation, test: holdout, ...placements, itemBaselines: [coOccurrenceModel], tfBackend: backend.name, now, peakRss, rowName: BLEND_ROW });
    for (const [protocol, rows] of Object.entries(blends.rows)) Object.assign((report[protocol] ??= {}), rows);
    placementTuning = blends.tuning;
  }
  return {
    summary: {
      rowsRead: log.rowsRead,
      rowsKept: log.time.length,
      dropped: log.dropped,
      end: formatWallClock(windows.end),
      testStart: formatWallClock(windows.testStart),
      validationStart: formatWallClock(windows.validationStart),
      trainingCustomers: training.customerIds.length,
      trainingItems: training.stockCodes.length,
      trainingPairs: training.interactions.indices.length,
      trainingBaskets: training.baskets.rows,
      tfBackend: backend.name,
      tuning: tuned.tuning,
      placements: placementTuning,
    },
    report,
  };
}
