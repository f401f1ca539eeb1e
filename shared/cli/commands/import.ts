import type { Command } from 'commander';
import type { CatalogDelivery } from '../../catalog-csv';
import { loadConfig } from '../../config';
import { migrateToLatest, openDatabase, type Db } from '../../db';
import { createLogger, type Logger } from '../../logger';
import { createProgressLine, deliverCatalog, formatReplaySummary, type DeliveryOutcome, type ProgressLine, type ReplaySummary } from '../../replay';
import { databaseTarget } from '../../runtime';
// A static import on purpose: bin.cjs registers tsx for require() only, and Node's ESM loader
// cannot resolve a dynamic import() of an extensionless .ts directory (`worker/ingest`).
// The CLI is the composition root, the one place where shared/ may reach into worker/.
import { createIngestProcessor } from '../../../worker/ingest';
import { DEV_SHOP, positiveInt, shopOption } from './replay';

export interface ImportCatalogOptions {
  db: Db;
  logger: Logger;
  /** CUSTOMER_ID_KEY: the same key the ingest worker pseudonymises customers with. */
  customerIdKey: string;
  shop: string;
  /** Online Retail II layout file, plain or gzipped. */
  file: string;
  /** Read only the first N data lines. Default: all. */
  limit?: number;
  /** Store writes in flight at once (each is its own transaction). Default 8. */
  concurrency?: number;
  progress?: (expected: number) => ProgressLine;
  now?: () => number;
}

/**
 * `shelfwise import`: the same deliveries the replay would POST, handed straight to the ingest
 * worker's processor (payload schema → record mapping → store upserts) instead of over HTTP
 * and the queue. Same code after the web process, so the same rows; a second import is a
 * no-op because ids are derived from the file and upserts keep the newest version.
 */
export async function importCatalog(options: ImportCatalogOptions): Promise<ReplaySummary> {
  const ingest = createIngestProcessor({ db: options.db, logger: options.logger, customerIdKey: options.customerIdKey });
  return deliverCatalog({
    file: options.file,
    shop: options.shop,
    limit: options.limit,
    concurrency: options.concurrency ?? 8,
    progress: options.progress,
    now: options.now,
    deliver: async (d: CatalogDelivery): Promise<DeliveryOutcome> => {
      const result = await ingest({
        shop: options.shop,
        topic: d.topic,
        webhookId: d.webhookId,
        eventId: d.eventId,
        triggeredAt: d.triggeredAt,
        receivedAt: d.triggeredAt,
        body: JSON.stringify(d.payload),
      });
      // 'stale': the store already holds this version or a newer one, as a duplicate delivery would.
      return { outcome: result.outcome === 'stale' ? 'duplicate' : 'accepted', status: 200, attempts: 1 };
    },
  });
}

interface ImportFlags {
  csv: string;
  shop: string;
  limit?: number;
  concurrency: number;
  json?: boolean;
  progress: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description("load an Online Retail II CSV straight into the database as a shop's products and orders")
    .requiredOption('--csv <file>', 'Online Retail II layout file, .csv or .csv.gz')
    .option('--shop <domain>', 'the shop the data belongs to', shopOption, DEV_SHOP)
    .option('--limit <n>', 'read only the first N data lines of the file', positiveInt)
    .option('--concurrency <n>', 'store writes in flight at once', positiveInt, 8)
    .option('--json', 'print the summary as JSON on stdout')
    .option('--no-progress', 'no progress line on stderr')
    .action(async (flags: ImportFlags) => {
      const config = loadConfig();
      const logger = createLogger({ level: config.logLevel, base: { role: 'import' } });
      const db = await openDatabase(databaseTarget(config));
      try {
        await migrateToLatest(db);
        const summary = await importCatalog({
          db,
          logger,
          customerIdKey: config.customerIdKey,
          shop: flags.shop,
          file: flags.csv,
          limit: flags.limit,
          concurrency: flags.concurrency,
          progress: flags.progress ? (total) => createProgressLine({ stream: process.stderr, total, label: 'import' }) : undefined,
        });
        console.log(flags.json ? JSON.stringify(summary, null, 2) : formatReplaySummary(summary, 'imported'));
        if (summary.deliveries.failed > 0) process.exitCode = 1;
      } finally {
        await db.destroy();
      }
    });
}
