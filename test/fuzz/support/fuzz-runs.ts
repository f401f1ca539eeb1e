/**
 * How many cases each fuzz property runs: FUZZ_RUNS (default 40) scaled by the property's
 * weight, so `FUZZ_RUNS=1000` turns the whole suite up locally while CI stays quick.
 */
export const FUZZ_RUNS = positive(process.env.FUZZ_RUNS) ?? 40;

/** Cases for one property: FUZZ_RUNS × weight, at least 1. */
export function runs(weight = 1): number {
  return Math.max(1, Math.round(FUZZ_RUNS * weight));
}

/** fast-check settings for one property; FUZZ_SEED replays a failing run. */
export function fuzzParameters(weight = 1): { numRuns: number; seed?: number; endOnFailure: boolean } {
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  // No shrinking on the HTTP properties' long runs: the first counterexample is reported as is.
  return { numRuns: runs(weight), ...(seed === undefined ? {} : { seed }), endOnFailure: true };
}

function positive(text: string | undefined): number | undefined {
  const n = Number(text);
  return text && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * A fuzz test's time limit: jest's default minute at the CI figure, more when FUZZ_RUNS is turned
 * up locally (the slowest property, the events beacon, takes a few tens of ms a case). A bound, not
 * an assertion on speed.
 */
export const FUZZ_TIMEOUT_MS = Math.max(60_000, FUZZ_RUNS * 1_000);
