export { createSyncWorker, type SyncWorkerOptions } from './worker';
export { createSyncProcessor, type SyncDeps, type SyncOutcome, type ResourceOutcome } from './processor';
export { stopShopJobs, scheduleReconcile, reconcileSchedulerId } from './schedule';
export { restoreShopSchedules } from './restore-schedules';
export { groupByParent, jsonlLines, UngroupedBulkOutputError, type BulkGroup } from './jsonl';
export { productFromBulk, orderFromBulk, type BulkProduct } from './bulk-records';
export { replaceProductCollections, type ProductCollection } from './product-collections';
export { BULK_QUERIES, type SyncResource } from './bulk-queries';
export { syncRunsOf, type SyncRun } from './sync-runs';
