/** The holdout on the storefront (docs/holdout.md): hidden blocks and exposures. */
export { HoldoutGate, EXPOSURE_GATE_SECONDS, type HoldoutGateOptions } from './holdout-gate';
