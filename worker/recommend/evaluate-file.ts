import { evaluateHoldout, formatWallClock, protocolHoldouts, readPurchaseLog, type EvaluationReport, type ItemModel, type PurchaseLog, type UserModel } from './evaluation';
import { baselineItemModels, baselineUserModels, tunedUserModels } from './models';
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
}

export interface FileEvaluation {
  summary: EvaluationSummary;
  report: EvaluationReport;
}

/**
 * The whole protocol on a file: clean, split at end − 30 days, choose each tunable model's
 * configuration on the validation window, then fit every model on training and score it once on
 * test. The baselines run with their documented settings.
 */
export async function evaluateRetailFile({ path, userModels = baselineUserModels(), itemModels = baselineItemModels(), tunedModels = tunedUserModels(), log: tell, now, peakRss }: EvaluateFileOptions): Promise<FileEvaluation> {
  // tfjs ops are synchronous only once a backend is ready: choose it before any model fits.
  const backend = await chooseTfBackend({ log: tell });
  const log = await readPurchaseLog(path);
  const { windows, validation, test: holdout } = protocolHoldouts(log);
  const tuned = tuneOnValidation(validation, tunedModels);
  const report = evaluateHoldout({ holdout, userModels: [...userModels, ...tuned.models], itemModels, now, peakRss });
  const { training } = holdout;
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
    },
    report,
  };
}
