import type { Command } from 'commander';
// The CLI is the composition root: the one place where shared/ may reach into worker/.
import { evaluateRetailFile, type FileEvaluation } from '../../../worker/recommend';
import { formatProtocolTable, protocolsJson, type MetricsJsonRow } from '../metrics-table';

/** protocol → model → metrics, the whole `--json` output (the three reference protocols first). */
export function evaluationJson({ report }: FileEvaluation): Record<string, Record<string, MetricsJsonRow>> {
  return protocolsJson(report);
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
  for (const [protocol, models] of Object.entries(report)) lines.push('', `protocol ${protocol}`, ...formatProtocolTable(protocol, models));
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
