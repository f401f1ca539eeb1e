import { Worker, type ConnectionOptions } from 'bullmq';
import type { Config } from '../../shared/config';
import { TokenCipher } from '../../shared/crypto';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import { openQueue, QUEUE } from '../../shared/queue';
import { attributingOrderWriter } from '../attribution';
import { upsertOrder, upsertProduct } from '../store';
import { createAdminApi } from './admin-api';
import { createSyncProcessor, type SyncDeps } from './processor';
import { replaceProductCollections } from './product-collections';

export interface SyncWorkerOptions {
  config: Config;
  db: Db;
  logger: Logger;
  /** A worker connection (maxRetriesPerRequest: null); shared with the sync queue it schedules on. */
  connection: ConnectionOptions;
  /** Syncs run at once, across shops. Default 2: each mostly waits on Shopify. */
  concurrency?: number;
  /** Re-attributes each order the sync writes (worker/attribution); omitted: orders are written only. */
  attribution?: { attributeOrder(shop: string, orderId: string): Promise<unknown> };
  /** Overrides for tests: poll interval, checkpoints, fault-injecting store. */
  overrides?: Partial<Pick<SyncDeps, 'pollIntervalMs' | 'checkpointEvery' | 'store' | 'sleep' | 'maxWaitMs'>>;
}

/** The BullMQ worker of the `sync` queue. Closing it closes the queue it schedules on. */
export function createSyncWorker({ config, db, logger, connection, concurrency = 2, attribution, overrides = {} }: SyncWorkerOptions): Worker {
  const queue = openQueue(QUEUE.sync, { connection, prefix: config.queuePrefix });
  const process = createSyncProcessor({
    db,
    logger,
    api: createAdminApi({ config, logger }),
    cipher: TokenCipher.fromConfig(config),
    customerIdKey: config.customerIdKey,
    queue,
    reconcileCron: config.reconcileCron,
    store: { upsertProduct, upsertOrder: attribution ? attributingOrderWriter(upsertOrder, attribution) : upsertOrder, replaceProductCollections },
    ...overrides,
  });
  const worker = new Worker(QUEUE.sync, process, { connection, prefix: config.queuePrefix, concurrency });
  worker.on('closed', () => {
    queue.close().catch((error) => logger.warn({ err: error }, 'sync queue close failed'));
  });
  return worker;
}
