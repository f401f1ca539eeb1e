import type { Command } from 'commander';
// The CLI is the composition root: the one place where shared/ may reach into worker/.
import { evaluateRetailFile, type FileEvaluation, type ModelReport } from '../../../worker/recommend';

/** One model's figures as `--json` prints them; `users` on next-30d-*, `queries` on the item protocols. */
export type EvalJsonRow = { users?: number; queries?: number } & {
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

const countLabel = (protocol: string) => (protocol.startsWith('next-') ? 'users' : 'queries');

function jsonRow(protocol: string, r: ModelReport): EvalJsonRow {
  return {
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
  } as EvalJsonRow;
}

/** protocol → model → metrics, the whole `--json` output (the three reference protocols first). */
export function evaluationJson({ report }: FileEvaluation): Record<string, Record<string, EvalJsonRow>> {
  return Object.fromEntries(
    Object.entries(report).map(([protocol, models]) => [protocol, Object.fromEntries(Object.entries(models).map(([model, r]) => [model, jsonRow(protocol, r)]))]),
  );
}

const formatWeights = (weights: Record<string, number>) =>
  Object.entries(weights)
    .map(([component, w]) => `${component} ${Number(w.toPrecision(3))}`)
    .join(', ');

/** The human table: protocol name, split and training figures, then one row per model. */
export function formatEvaluation({ summary, report }: FileEvaluation): string {
  const lines = [
    `offline evaluation (docs/evaluation.md), K = 10; test window (${summary.testStart}, ${summary.end}]`,
    `training: ${summary.trainingCustomers} customers, ${summary.trainingItems} items, ${summary.trainingPairs} (customer, item) pairs, ${summary.trainingBaskets} baskets; ` +
      `rows read ${summary.rowsRead}, kept ${summary.rowsKept}`,
  ];
  lines.push(`TensorFlow.js backend: ${summary.tfBackend}`);
  for (const { model, chosen, validationNdcg } of summary.tuning) {
    const grid = Object.entries(validationNdcg).map(([label, ndcg]) => `${label} → ${ndcg.toFixed(4)}`);
    lines.push(`${model}: chosen on the validation window (next-30d-new ndcg@10): ${chosen}; grid: ${grid.join('; ')}`);
  }
  for (const { placement, choice, tuneSeconds } of summary.placements) {
    const parameters = Object.entries(choice.parameters).map(([name, value]) => `${name} ${value}`);
    lines.push(
      `blend (${placement}): weights chosen on the validation window in ${tuneSeconds.toFixed(1)} s: ${formatWeights(choice.weights)}` + (parameters.length ? `; ${parameters.join(', ')}` : ''),
    );
  }
  if (summary.trainingCustomers === 0) {
    lines.push('nothing to score: no customer bought anything at or before the test window start (the file spans 30 days or less)');
  }
  const head = ['model', 'n', 'precision@10', 'recall@10', 'f1@10', 'ndcg@10', 'hit@10', 'coverage@10', 'fit s', 'peak RSS MiB', 'backend'];
  for (const [protocol, models] of Object.entries(report)) {
    const rows = Object.entries(models).map(([model, r]) => [
      model,
      String(r.queries),
      ...[r.precision, r.recall, r.f1, r.ndcg, r.hit, r.coverage].map((v) => v.toFixed(4)),
      r.fitSeconds.toFixed(2),
      (r.peakRssBytes / 2 ** 20).toFixed(0),
      r.backend,
    ]);
    const table = [head.map((h) => (h === 'n' ? countLabel(protocol) : h)), ...rows];
    const widths = head.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
    lines.push('', `protocol ${protocol}`);
    for (const row of table) lines.push(row.map((cell, c) => (c === 0 || c === row.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
  }
  return lines.join('\n');
}

interface EvalFlags {
  csv: string;
  json?: boolean;
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('run the offline evaluation protocol (next-30d-new, next-30d-all, fbt-30d) for every model on an Online Retail II layout file')
    .requiredOption('--csv <file>', 'Online Retail II layout file, .csv or .csv.gz')
    .option('--json', 'print one JSON object: protocol → model → metrics')
    .action(async (flags: EvalFlags) => {
      const evaluation = await evaluateRetailFile({ path: flags.csv });
      console.log(flags.json ? JSON.stringify(evaluationJson(evaluation), null, 2) : formatEvaluation(evaluation));
    });
}
