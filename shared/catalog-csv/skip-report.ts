import type { SkipReason, SkippedRow } from './retail-row';

export interface SkipSummary {
  /** Lines skipped, all reasons together. */
  total: number;
  /** Per reason: how many lines and the first few, in file order, with a sample detail. */
  byReason: Partial<Record<SkipReason, { count: number; firstLines: number[]; example: string }>>;
}

/**
 * Counts skipped lines by reason and keeps the first line numbers of each, so the report of a
 * 525k-line file stays a few lines long however dirty the file is.
 */
export class SkipReport {
  private readonly reasons = new Map<SkipReason, { count: number; firstLines: number[]; example: string }>();
  private count = 0;

  /** @param keepLines how many line numbers to keep per reason (default 10). */
  constructor(private readonly keepLines = 10) {}

  add(skip: SkippedRow): void {
    this.count++;
    let entry = this.reasons.get(skip.reason);
    if (!entry) {
      entry = { count: 0, firstLines: [], example: skip.detail };
      this.reasons.set(skip.reason, entry);
    }
    entry.count++;
    if (entry.firstLines.length < this.keepLines) entry.firstLines.push(skip.line);
  }

  get total(): number {
    return this.count;
  }

  summary(): SkipSummary {
    const byReason: SkipSummary['byReason'] = {};
    for (const [reason, entry] of [...this.reasons].sort(([a], [b]) => a.localeCompare(b))) {
      byReason[reason] = { count: entry.count, firstLines: [...entry.firstLines].sort((a, b) => a - b), example: entry.example };
    }
    return { total: this.count, byReason };
  }
}
