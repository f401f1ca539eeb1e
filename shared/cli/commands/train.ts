import type { Command } from 'commander';
import pino from 'pino';
import { loadConfig } from '../../config';
import { migrateToLatest, openDatabase } from '../../db';
import { createRedis } from '../../redis';
import { databaseTarget } from '../../runtime';
// The CLI is the composition root: the one place where shared/ may reach into worker/.
import { runTraining, type ModelVersion, type TrainingRun } from '../../../worker/train';
import { DEV_SHOP, shopOption } from './replay';

/** One model's figures as `--json` prints them; `users` on next-30d-*, `queries` on item protocols. */
export type TrainJsonRow = { users?: number; queries?: number } & {
  'precision@10': number;
  'recall@10': number;
  'f1@10': number;
  'ndcg@10': number;
  'hit@10': number;
  'coverage@10': number;
  fitSeconds: number;
  peakRssBytes: number;
  backend: string;
};

type Metrics = ModelVersion['metrics'];

const countLabel = (protocol: string) => (protocol.startsWith('next-') ? 'users' : 'queries');

function metricsJson(metrics: Metrics): Record<string, Record<string, Record<string, TrainJsonRow>>> {
  return Object.fromEntries(
    Object.entries(metrics).map(([placement, protocols]) => [
      placement,
      Object.fromEntries(
        Object.entries(protocols ?? {}).map(([protocol, models]) => [
          protocol,
          Object.fromEntries(
            Object.entries(models).map(([model, r]) => [
              model,
              {
                [countLabel(protocol)]: r.queries,
                'precision@10': r.precision,
                'recall@10': r.recall,
                'f1@10': r.f1,
                'ndcg@10': r.ndcg,
                'hit@10': r.hit,
                'coverage@10': r.coverage,
                fitSeconds: r.fitSeconds,
                peakRssBytes: r.peakRssBytes,
                backend: r.backend,
              } as TrainJsonRow,
            ]),
          ),
        ]),
      ),
    ]),
  );
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
  const head = ['model', 'n', 'precision@10', 'recall@10', 'f1@10', 'ndcg@10', 'hit@10', 'coverage@10', 'fit s', 'peak RSS MiB', 'backend'];
  for (const [placement, protocols] of Object.entries(v?.metrics ?? {})) {
    const choice = v?.parameters[placement as keyof typeof v.parameters];
    lines.push('', `placement ${placement}${choice ? `: weights ${JSON.stringify(choice.weights)}${Object.keys(choice.parameters).length ? `, parameters ${JSON.stringify(choice.parameters)}` : ''}` : ''}`);
    for (const [protocol, models] of Object.entries(protocols ?? {})) {
      const rows = Object.entries(models).map(([model, r]) => [
        model,
        String(r.queries),
        ...[r.precision, r.recall, r.f1, r.ndcg, r.hit, r.coverage].map((x) => x.toFixed(4)),
        r.fitSeconds.toFixed(2),
        (r.peakRssBytes / 2 ** 20).toFixed(0),
        r.backend,
      ]);
      const table = [head.map((h) => (h === 'n' ? countLabel(protocol) : h)), ...rows];
      const widths = head.map((_, col) => Math.max(...table.map((row) => row[col]!.length)));
      lines.push(`protocol ${protocol}`);
      for (const row of table) lines.push(row.map((cell, col) => (col === 0 || col === row.length - 1 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ').trimEnd());
    }
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
