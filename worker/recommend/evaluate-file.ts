import { evaluateHoldout, formatWallClock, protocolHoldouts, readPurchaseLog, type EvaluationReport, type ItemModel, type PurchaseLog, type UserModel } from './evaluation';
import { baselineItemModels, baselineUserModels } from './models';

export interface EvaluateFileOptions {
  /** An Online Retail II layout file, `.csv` or `.csv.gz`. */
  path: string;
  /** Default: the plain-TypeScript baselines. */
  userModels?: readonly UserModel[];
  itemModels?: readonly ItemModel[];
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
}

export interface FileEvaluation {
  summary: EvaluationSummary;
  report: EvaluationReport;
}

/**
 * The whole protocol on a file: clean, split at end − 30 days, fit every model on training and
 * score it on test. Validation-window tuning is for models with hyperparameters; the baselines
 * run with their documented settings.
 */
export async function evaluateRetailFile({ path, userModels = baselineUserModels(), itemModels = baselineItemModels(), now, peakRss }: EvaluateFileOptions): Promise<FileEvaluation> {
  const log = await readPurchaseLog(path);
  const { windows, test: holdout } = protocolHoldouts(log);
  const report = evaluateHoldout({ holdout, userModels, itemModels, now, peakRss });
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
    },
    report,
  };
}
