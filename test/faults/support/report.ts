import type { SendTally } from './send-deliveries';
import type { StoreCheck } from './store-check';
import type { ServingWatch } from './serving-watch';

/** One line per scenario with the counts the issue asks for: sent, stored, retried, lost. */
export function printCounts(scenario: string, o: { distinct: number; tally: SendTally; check: StoreCheck; serving?: ServingWatch; extra?: Record<string, number | string> }): void {
  const parts = [
    `sent ${o.tally.sent} (distinct ${o.distinct}, accepted ${o.tally.accepted}, duplicates ${o.tally.duplicate}, retried ${o.tally.retried}, gave up ${o.tally.failed})`,
    `stored ${o.check.stored}/${o.check.expected}`,
    `lost ${o.check.lost.length}`,
    `duplicated rows ${o.check.duplicatedRows}`,
  ];
  if (o.tally.retriedThenDuplicate.length) parts.push(`refused then answered duplicate: ${o.tally.retriedThenDuplicate.join(', ')}`);
  if (o.serving) parts.push(`serving checks ${o.serving.served} ok, ${o.serving.missing.length} missing, ${o.serving.unreachable} while Redis was down`);
  for (const [k, v] of Object.entries(o.extra ?? {})) parts.push(`${k} ${v}`);
  process.stdout.write(`[fault] ${scenario}: ${parts.join('; ')}\n`);
}

/**
 * What every scenario asserts after recovery: no sender gave up, nothing lost in the store or at
 * the door, every expected entity stored once, nothing unexplained, no job failed for good.
 */
export function expectNothingLost(o: { tally: SendTally; check: StoreCheck; doorLosses: string[]; drained: { failed: number } }): void {
  expect(o.tally.failed).toBe(0);
  expect(o.check.lost).toEqual([]);
  expect(o.doorLosses).toEqual([]);
  expect(o.check.stored).toBe(o.check.expected);
  expect(o.check.duplicatedRows).toBe(0);
  expect(o.check.unexpected).toEqual([]);
  expect(o.drained.failed).toBe(0);
}
