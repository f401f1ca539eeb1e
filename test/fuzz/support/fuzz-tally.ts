import fs from 'node:fs';
import path from 'node:path';
import { FUZZ_RUNS } from './fuzz-runs';

/** Where every fuzz file adds its counts (test-output/ is not committed). */
export const SUMMARY_FILE = path.resolve(__dirname, '../../../test-output/fuzz-summary.json');

interface SurfaceCount {
  cases: number;
  /** Cases the app refused (4xx, a skipped CSV line, a job failed for good). */
  rejected: number;
}

/**
 * Counts the cases each surface ran, for the "report how many cases ran": `write` prints
 * them and merges them into test-output/fuzz-summary.json (one entry per surface, latest run).
 */
export class FuzzTally {
  private readonly surfaces = new Map<string, SurfaceCount>();

  count(surface: string, { rejected }: { rejected: boolean }): void {
    const seen = this.surfaces.get(surface) ?? { cases: 0, rejected: 0 };
    seen.cases++;
    if (rejected) seen.rejected++;
    this.surfaces.set(surface, seen);
  }

  write(): void {
    const entries = Object.fromEntries(this.surfaces);
    let summary: { fuzzRuns?: number; surfaces: Record<string, SurfaceCount & { at: string; fuzzRuns: number }> } = { surfaces: {} };
    try {
      summary = JSON.parse(fs.readFileSync(SUMMARY_FILE, 'utf8'));
    } catch {
      // First file of the run, or an unreadable leftover: start over.
    }
    const at = new Date().toISOString();
    for (const [surface, count] of Object.entries(entries)) summary.surfaces[surface] = { ...count, fuzzRuns: FUZZ_RUNS, at };
    fs.mkdirSync(path.dirname(SUMMARY_FILE), { recursive: true });
    fs.writeFileSync(SUMMARY_FILE, `${JSON.stringify(summary, null, 2)}\n`);
    const lines = Object.entries(entries).map(([surface, c]) => `  ${surface}: ${c.cases} cases (${c.rejected} rejected)`);
    console.log(`fuzz cases (FUZZ_RUNS=${FUZZ_RUNS}):\n${lines.join('\n')}`);
  }
}
