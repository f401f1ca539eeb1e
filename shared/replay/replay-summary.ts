import type { CatalogCounts, SkipSummary } from '../catalog-csv';
import type { DeliveryTally } from './deliver-all';

export interface ReplaySummary {
  file: string;
  shop: string;
  catalog: CatalogCounts;
  deliveries: DeliveryTally;
  skipped: SkipSummary;
  elapsedMs: number;
}

/** The human report printed at the end of `replay` and `import`. */
export function formatReplaySummary(s: ReplaySummary, verb = 'replayed'): string {
  const d = s.deliveries;
  const lines = [
    `${verb} ${s.file} as ${s.shop} in ${(s.elapsedMs / 1000).toFixed(1)} s`,
    `  rows: ${s.catalog.rowsRead} read, ${s.catalog.rowsKept} used, ${s.skipped.total} skipped`,
    `  catalog: ${s.catalog.products} products, ${s.catalog.orders} orders, ${s.catalog.cancellations} cancellation invoices, ${s.catalog.customers} customers`,
    `  deliveries: ${d.sent} sent, ${d.accepted} accepted, ${d.duplicates} duplicates, ${d.failed} failed`,
  ];
  for (const [topic, t] of Object.entries(d.byTopic)) {
    lines.push(`    ${topic}: ${t.sent} sent, ${t.accepted} accepted, ${t.duplicates} duplicates, ${t.failed} failed`);
  }
  if (s.skipped.total) lines.push('  skipped rows by reason (first line numbers):');
  for (const [reason, r] of Object.entries(s.skipped.byReason)) {
    lines.push(`    ${reason}: ${r.count} (lines ${r.firstLines.join(', ')}${r.count > r.firstLines.length ? ', ...' : ''}) e.g. ${r.example}`);
  }
  if (d.failures.length) lines.push('  failures:');
  for (const f of d.failures) lines.push(`    ${f.topic} ${f.id}: ${f.reason}`);
  return lines.join('\n');
}
