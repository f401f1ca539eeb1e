import type { Command } from 'commander';
import pino from 'pino';
import { loadConfig } from '../../config';
import { migrateToLatest, openDatabase } from '../../db';
import { createRedis } from '../../redis';
import { databaseTarget } from '../../runtime';
// The CLI is the composition root: the one place where shared/ may reach into worker/.
import { runTraining, type ModelVersion, type TrainingRun } from '../../../worker/train';
import { formatProtocolTable, protocolsJson, type MetricsJsonRow } from '../metrics-table';
import { DEV_SHOP, shopOption } from './replay';

type Metrics = ModelVersion['metrics'];

/** placement → protocol → model → row, for `--json`. */
function metricsJson(metrics: Metrics): Record<string, Record<string, Record<string, MetricsJsonRow>>> {
  return Object.fromEntries(Object.entries(metrics).map(([placement, protocols]) => [placement, protocolsJson(protocols ?? {})]));
}

/** What `--json` prints: one object. */
export function trainingJson(run: TrainingRun) {
  const version = run.version;
  return {
    shop: run.shop,
    outcome: run.outcome,
    versionId: version?.id ?? null,
    published: run.outcome === 'published' || (run.outcome === 'not_enough_data' && run.published) || (run.outcome === 'rejected' && run.fallbackPublished),
    servingVersionId:
      run.outcome === 'published' ? run.version.id : run.outcome === 'not_enough_data' ? (run.published ? run.version.id : null) : run.servingVersionId,
    previousVersionId: run.outcome === 'published' ? run.previousVersionId : null,
    deletedVersions: run.outcome === 'published' ? run.deletedVersions : [],
    reasons: run.outcome === 'rejected' ? (run.verdict.publish ? [] : run.verdict.reasons) : run.outcome === 'not_enough_data' ? run.reasons : [],
    checks: run.outcome === 'published' || run.outcome === 'rejected' ? run.verdict.checks : [],
    counts: version?.data_snapshot.counts ?? null,
    dataSnapshot: version?.data_snapshot ?? null,
    backend: version?.backend ?? null,
    fitSeconds: version?.fit_seconds ?? null,
    peakRssBytes: version?.peak_rss_bytes ?? null,
    parameters: version?.parameters ?? {},
    metrics: metricsJson(version?.metrics ?? {}),
    timings: run.timings,
  };
}

function headline(run: TrainingRun): string {
  switch (run.outcome) {
    case 'published':
      return `published version ${run.version.id}${run.previousVersionId === null ? '' : ` over version ${run.previousVersionId}`}${run.deletedVersions.length ? `; deleted stale versions ${run.deletedVersions.join(', ')}` : ''}`;
    case 'rejected':
      return `version ${run.version.id} rejected, ${run.fallbackPublished ? 'its trending list serves as the fallback' : `version ${run.servingVersionId} keeps serving`}: ${run.verdict.publish ? '' : run.verdict.reasons.join('; ')}`;
    case 'not_enough_data':
      return `not enough data (${run.reasons.join('; ')}); ${run.published ? `trending fallback published as version ${run.version.id}` : 'the trained version keeps serving'}`;
    case 'unchanged':
      return `data unchanged since the last run: nothing trained${run.servingVersionId === null ? '' : `; version ${run.servingVersionId} serves (its figures below)`}`;
  }
}

/** The human report: what happened, timings, then one table per placement and protocol. */
export function formatTraining(run: TrainingRun): string {
  const v = run.version;
  const t = run.timings;
  const lines = [`training run for ${run.shop}: ${headline(run)}`, `snapshot ${t.snapshot.toFixed(2)} s, fit ${t.fit.toFixed(2)} s, publish ${t.publish.toFixed(2)} s, total ${t.total.toFixed(2)} s`];
  if (v) {
    const c = v.data_snapshot.counts;
    lines.push(
      `data: ${c.orders} orders, ${c.rows} lines, ${c.customers} customers, ${c.items} products bought of ${c.products}; ` +
        `${v.data_snapshot.from ?? '-'} to ${v.data_snapshot.to ?? '-'}${v.data_snapshot.testStart ? `; test window (${v.data_snapshot.testStart}, ${v.data_snapshot.to}]` : ''}`,
      `version ${v.id} (${v.status}, ${v.model}): fit ${v.fit_seconds.toFixed(2)} s, peak RSS ${(v.peak_rss_bytes / 2 ** 20).toFixed(0)} MiB, TensorFlow.js backend ${v.backend}`,
    );
  }
  for (const [placement, protocols] of Object.entries(v?.metrics ?? {})) {
    const choice = v?.parameters[placement as keyof typeof v.parameters];
    lines.push('', `placement ${placement}${choice ? `: weights ${JSON.stringify(choice.weights)}${Object.keys(choice.parameters).length ? `, parameters ${JSON.stringify(choice.parameters)}` : ''}` : ''}`);
    for (const [protocol, models] of Object.entries(protocols ?? {})) lines.push(`protocol ${protocol}`, ...formatProtocolTable(protocol, models));
  }
  return lines.join('\n');
}

interface TrainFlags {
  shop: string;
  json?: boolean;
  force?: boolean;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description("train a shop's recommendation models now: snapshot, fit, judge against the baselines, publish the lists if not worse")
    .option('--shop <domain>', 'the shop to train', shopOption, DEV_SHOP)
    .option('--json', 'print one JSON object: outcome, counts, timings and placement → protocol → model → metrics')
    .option('--force', 'train even if the data did not change since the last run')
    .action(async (flags: TrainFlags) => {
      const config = loadConfig();
      // Logs go to stderr so that stdout holds only the report (one object with --json).
      const logger = pino({ level: config.logLevel, base: { role: 'train' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: true }));
      const db = await openDatabase(databaseTarget(config));
      const redis = createRedis(config.redisUrl, { name: 'shelfwise-train' });
      try {
        await migrateToLatest(db);
        const run = await runTraining({ db, redis, prefix: config.queuePrefix, shop: flags.shop, logger, force: flags.force });
        console.log(flags.json ? JSON.stringify(trainingJson(run), null, 2) : formatTraining(run));
      } finally {
        await redis.quit().catch(() => redis.disconnect());
        await db.destroy();
      }
    });
}
