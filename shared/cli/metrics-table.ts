// The CLI is the composition root: the one place where shared/ may reach into worker/.
import type { ModelReport } from '../../worker/recommend';

/** One model's figures as `--json` prints them; `users` on next-30d-*, `queries` on the item protocols. */
export type MetricsJsonRow = { users?: number; queries?: number } & {
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

/** What a protocol counts: users for the personal protocols, queries for item to item. */
export const countLabel = (protocol: string) => (protocol.startsWith('next-') ? 'users' : 'queries');

export function metricsJsonRow(protocol: string, r: ModelReport): MetricsJsonRow {
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
  } as MetricsJsonRow;
}

/** protocol → model → row, for `--json`. */
export function protocolsJson(protocols: Record<string, Record<string, ModelReport>>): Record<string, Record<string, MetricsJsonRow>> {
  return Object.fromEntries(
    Object.entries(protocols).map(([protocol, models]) => [protocol, Object.fromEntries(Object.entries(models).map(([model, r]) => [model, metricsJsonRow(protocol, r)]))]),
  );
}

const HEAD = ['model', 'n', 'precision@10', 'recall@10', 'f1@10', 'ndcg@10', 'hit@10', 'coverage@10', 'fit s', 'peak RSS MiB', 'backend'];

/** One protocol's table, one row per model, columns aligned (names left, figures right). */
export function formatProtocolTable(protocol: string, models: Record<string, ModelReport>): string[] {
  const rows = Object.entries(models).map(([model, r]) => [
    model,
    String(r.queries),
    ...[r.precision, r.recall, r.f1, r.ndcg, r.hit, r.coverage].map((v) => v.toFixed(4)),
    r.fitSeconds.toFixed(2),
    (r.peakRssBytes / 2 ** 20).toFixed(0),
    r.backend,
  ]);
  const table = [HEAD.map((h) => (h === 'n' ? countLabel(protocol) : h)), ...rows];
  const widths = HEAD.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  return table.map((row) => row.map((cell, c) => (c === 0 || c === row.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}
