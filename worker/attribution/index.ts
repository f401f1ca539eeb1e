export { attributingOrderWriter, createOrderAttribution, reattributeOrder, type OrderAttributionDeps, type ReattributionResult } from './reattribute-order';
export { rebuildDailyRollup } from './daily-rollup';
export { loadAttributionWindows } from './settings';
