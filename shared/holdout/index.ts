/**
 * The holdout group (docs/holdout.md): which consenting visitors see no Shelfwise blocks, the
 * shop's share, and the lift measured against them.
 */
export { holdoutBucket, holdoutGroup, HOLDOUT_BUCKETS } from './assign-group';
export { exposureDay } from './exposure-day';
export { DEFAULT_HOLDOUT_SHARE_BP, MAX_HOLDOUT_SHARE_BP, readHoldoutShare, setHoldoutShare, type SetHoldoutShare } from './holdout-share';
export { holdoutLift } from './holdout-lift';
export { liftGroupSums, type LiftRange } from './lift-group-sums';
export { liftFromSums, MIN_CONVERTING_VISITORS_PER_GROUP, MIN_VISITORS_PER_GROUP, type Lift, type LiftInput } from './lift-result';
export { groupMean, groupVariance, welchDifference, Z_95, type GroupSums, type WelchDifference } from './lift-stats';
export type { HoldoutGroup } from '../db';
