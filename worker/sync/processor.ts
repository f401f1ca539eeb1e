import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { TokenCipher } from '../../shared/crypto';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import { syncJob, type SyncJob } from '../../shared/queue';
import type { OrderRecord, ProductRecord, UpsertOutcome } from '../store';
import type { AdminApi } from './admin-api';
import { BULK_QUERIES, type SyncResource } from './bulk-queries';
import { BulkOperationError, startBulkQuery, waitForBulkOperation } from './bulk-operation';
import { orderFromBulk, productFromBulk, type BulkProduct } from './bulk-records';
import { groupByParent, jsonlLines, UngroupedBulkOutputError } from './jsonl';
import { loadOfflineSession } from './offline-session';
import { scheduleReconcile, reconcileSchedulerId } from './schedule';
import type { replaceProductCollections } from './product-collections';
import { openSyncRun, updateSyncRun } from './sync-runs';

export interface SyncDeps {
  db: Db;
  logger: Logger;
  api: AdminApi;
  /** Opens the stored offline tokens (TOKEN_ENCRYPTION_KEY). */
  cipher: TokenCipher;
  /** Key of the customer pseudonyms (CUSTOMER_ID_KEY). */
  customerIdKey: string;
  /** The sync queue: the shop's reconciliation scheduler lives on it. */
  queue: Queue;
  /** Cron pattern of the daily reconciliation (RECONCILE_CRON). */
  reconcileCron: string;
  /** The store writers; tests wrap them to inject faults. */
  store: {
    upsertProduct(db: Db, record: ProductRecord): Promise<UpsertOutcome>;
    upsertOrder(db: Db, record: OrderRecord): Promise<UpsertOutcome>;
    replaceProductCollections: typeof replaceProductCollections;
  };
  /** Between polls of a running bulk operation, in ms. Default 2000. */
  pollIntervalMs?: number;
  /** Longest wait for one bulk operation before the attempt fails and retries, in ms. Default 6 h. */
  maxWaitMs?: number;
  /** Longest download of one bulk result before the attempt fails and retries, in ms. Default 30 min. */
  downloadTimeoutMs?: number;
  /** Records applied between two progress checkpoints. Default 200. */
  checkpointEvery?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ResourceOutcome {
  resource: SyncResource;
  bulkOperationId: string | null;
  records: number;
  skipped: number;
  resumedFromLine: number;
}

export type SyncOutcome =
  | { ok: true; shop: string; resources: ResourceOutcome[] }
  | { ok: false; shop: string; reason: 'shop_inactive' };

async function shopIsActive(db: Db, shop: string): Promise<boolean> {
  const row = await db.selectFrom('shops').select('active').where('domain', '=', shop).executeTakeFirst();
  return row?.active === true;
}

/**
 * A sync job: for each resource, one bulk query, polled to completion, its JSONL streamed,
 * joined and written through the store. Progress is checkpointed in sync_runs under the job
 * id, so a retried attempt polls the same bulk operation and reads past the lines already
 * applied (the store's writes are idempotent, so the few after the last checkpoint are
 * simply written again). An inactive shop's job does nothing.
 */
export function createSyncProcessor(deps: SyncDeps): (job: Job) => Promise<SyncOutcome> {
  const { db, logger } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const checkpointEvery = deps.checkpointEvery ?? 200;

  async function syncResource(job: Job, data: SyncJob, resource: SyncResource, client: InstanceType<AdminApi['clients']['Graphql']>) {
    const key = { shop: data.shop, resource, jobId: String(job.id) };
    const run = await openSyncRun(db, key);
    const outcome: ResourceOutcome = { resource, bulkOperationId: run.bulk_operation_id, records: 0, skipped: 0, resumedFromLine: 0 };
    if (run.status === 'completed') return outcome;

    let operationId = run.bulk_operation_id;
    if (!operationId) {
      operationId = await startBulkQuery(client, BULK_QUERIES[resource]);
      // A new operation has new lines: any count from a failed earlier one no longer applies.
      await updateSyncRun(db, key, { bulk_operation_id: operationId, status: 'running', error: null, lines_applied: 0 });
      run.lines_applied = 0;
    }
    outcome.bulkOperationId = operationId;
    const operation = await waitForBulkOperation(client, operationId, {
      pollIntervalMs: deps.pollIntervalMs ?? 2000,
      maxWaitMs: deps.maxWaitMs ?? 6 * 3600_000,
      sleep,
    });
    if (operation.status !== 'COMPLETED') {
      // A failed operation is not resumed: the next attempt starts a new one.
      await updateSyncRun(db, key, { bulk_operation_id: null, status: 'failed', error: `${operation.status} ${operation.errorCode ?? ''}`.trim() });
      throw new BulkOperationError(`bulk operation ${operationId} ended ${operation.status} (${operation.errorCode ?? 'no error code'})`);
    }
    await updateSyncRun(db, key, { status: 'applying', object_count: operation.objectCount });

    let linesApplied = run.lines_applied;
    let records = run.records_applied;
    let skipped = run.records_skipped;
    outcome.resumedFromLine = linesApplied;
    if (operation.url) {
      // A download that stalls must not hold the job (and its shop's sync) forever.
      const response = await fetch(operation.url, { signal: AbortSignal.timeout(deps.downloadTimeoutMs ?? 30 * 60_000) });
      if (!response.ok || !response.body) throw new BulkOperationError(`bulk result download answered ${response.status}`);
      let sinceCheckpoint = 0;
      const groups = groupByParent(jsonlLines(response.body), { skipLines: linesApplied });
      for await (const group of unrecoverableOnBadOutput(groups)) {
        let record: BulkProduct | OrderRecord | undefined;
        try {
          record =
            resource === 'products'
              ? productFromBulk(data.shop, group.parent, group.children)
              : orderFromBulk(data.shop, group.parent, group.children, deps.customerIdKey);
        } catch (error) {
          // One record Shopify shaped in a way we cannot read must not hold back the shop's sync.
          logger.warn({ queue: job.queueName, jobId: job.id, shop: data.shop, resource, id: group.parent.id, err: error }, 'bulk record skipped');
          skipped += 1;
        }
        if (record) {
          if (resource === 'products') {
            const product = record as BulkProduct;
            await deps.store.upsertProduct(db, product.record);
            // Even when the upsert is stale: only this sync knows the product's collections.
            await deps.store.replaceProductCollections(db, { shop: data.shop, productId: product.record.id, collections: product.collections });
          } else {
            await deps.store.upsertOrder(db, record as OrderRecord);
          }
          records += 1;
          outcome.records += 1;
        }
        linesApplied = group.endLine;
        if (++sinceCheckpoint >= checkpointEvery) {
          await updateSyncRun(db, key, { lines_applied: linesApplied, records_applied: records, records_skipped: skipped });
          sinceCheckpoint = 0;
        }
      }
    }
    outcome.skipped = skipped;
    await updateSyncRun(db, key, {
      lines_applied: linesApplied,
      records_applied: records,
      records_skipped: skipped,
      status: 'completed',
      finished_at: new Date(),
    });
    return outcome;
  }

  return async (job: Job) => {
    const parsed = syncJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed sync job: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    const data = parsed.data;
    // Every line about this job carries its queue, id and shop.
    const logger = deps.logger.child({ queue: job.queueName, jobId: job.id, shop: data.shop });
    if (!(await shopIsActive(db, data.shop))) {
      // Uninstalled: a reconciliation left over from before must not come back every day.
      if (data.reason === 'reconcile') await deps.queue.removeJobScheduler(reconcileSchedulerId(data.shop));
      logger.info({ shop: data.shop, reason: data.reason }, 'sync skipped: shop inactive');
      return { ok: false, shop: data.shop, reason: 'shop_inactive' };
    }
    // Scheduled before the work, so a shop whose first sync keeps failing still reconciles.
    await scheduleReconcile({ queue: deps.queue, shop: data.shop, pattern: deps.reconcileCron });
    const session = await loadOfflineSession({ db, cipher: deps.cipher, shop: data.shop });
    if (!session) throw new UnrecoverableError(`no offline session stored for ${data.shop}`);
    const client = new deps.api.clients.Graphql({ session });
    const resources: ResourceOutcome[] = [];
    for (const resource of data.resources) {
      try {
        resources.push(await syncResource(job, data, resource, client));
      } catch (error) {
        // An uninstall during the sync revokes the token: that ends the job, it is not a fault.
        if (!(await shopIsActive(db, data.shop))) return { ok: false, shop: data.shop, reason: 'shop_inactive' };
        await updateSyncRun(db, { shop: data.shop, resource, jobId: String(job.id) }, { error: (error as Error).message });
        throw error;
      }
    }
    logger.info({ shop: data.shop, reason: data.reason, resources }, 'sync done');
    return { ok: true, shop: data.shop, resources };
  };
}

/**
 * Output we cannot read (not JSON, or children not grouped under their parent) reads the same
 * on every retry: fail the job for good, visibly, instead of retrying it five times.
 */
async function* unrecoverableOnBadOutput<T>(source: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* source;
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof UngroupedBulkOutputError) {
      throw new UnrecoverableError(`unreadable bulk operation output: ${error.message}`);
    }
    throw error;
  }
}
