import { buildHoldout, type Holdout } from './holdout';
import type { PurchaseLog } from './purchase-log';
import { FBT_ANCHOR_SEED } from './seeded-random';
import { evaluationWindows, type EvaluationWindows } from './windows';

export interface ProtocolHoldouts {
  windows: EvaluationWindows;
  /** Fit on rows at or before `validationStart`, score on (validationStart, testStart]: tune here. */
  validation: Holdout;
  /** Fit on rows at or before `testStart`, score once on (testStart, end]: never tune here. */
  test: Holdout;
}

/** Both splits of the protocol from one log, with the fixed anchor seed unless told otherwise. */
export function protocolHoldouts(log: PurchaseLog, { seed = FBT_ANCHOR_SEED }: { seed?: number } = {}): ProtocolHoldouts {
  const windows = evaluationWindows(log);
  return {
    windows,
    validation: buildHoldout(log, { cutoff: windows.validationStart, windowEnd: windows.testStart, seed }),
    test: buildHoldout(log, { cutoff: windows.testStart, windowEnd: windows.end, seed }),
  };
}
