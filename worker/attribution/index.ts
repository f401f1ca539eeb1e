export { attributingOrderWriter, createOrderAttribution, reattributeOrder, type OrderAttributionDeps, type ReattributionResult } from './reattribute-order';
export { loadAttributionWindows } from './settings';
