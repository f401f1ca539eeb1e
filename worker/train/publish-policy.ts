import type { Placement } from '../recommend/placements';
import type { ProtocolMetrics } from './train-from-log';
import { BLEND } from './train-from-log';

/**
 * When a trained candidate may replace the serving version ("publish only if not worse"):
 * for every placement and every protocol the placement's blend is judged on (ndcg@10 on the test
 * window),
 *   1. the blend is never below the popularity baseline scored on the same queries, and
 *   2. the blend's ndcg@10 ≥ the serving version's blend on the same placement and protocol
 *      × (1 − tolerance).
 * Rule 2 compares figures from two different test windows (each version's own last 30 days), so
 * it allows `tolerance` of drift; and it applies only while the serving version is fresh: once its
 * data ends more than `maxServingAgeDays` before the candidate's, a store whose customers became
 * harder to predict would otherwise keep a stale model for ever, and only rule 1 holds.
 * A fallback version (not_enough_data, no metrics) never blocks a trained candidate.
 */
export interface PublishPolicy {
  /** Relative ndcg@10 drop allowed against the serving version. Default 0.05. */
  tolerance: number;
  /** The serving version is compared against only while its data is this fresh. Default 30. */
  maxServingAgeDays: number;
}

export const DEFAULT_PUBLISH_POLICY: PublishPolicy = { tolerance: 0.05, maxServingAgeDays: 30 };

export interface Judged {
  metrics: Partial<Record<Placement, ProtocolMetrics>>;
  /** Wall-clock seconds of the version's latest order. */
  dataEnd: number | null;
}

export type Verdict = { publish: true; checks: string[] } | { publish: false; checks: string[]; reasons: string[] };

const EPSILON = 1e-12;
const DAY_SECONDS = 86_400;

/** Judges a candidate against the popularity floor and the serving version; says why either way. */
export function judgeCandidate(candidate: Judged, serving: Judged | undefined, policy: PublishPolicy = DEFAULT_PUBLISH_POLICY): Verdict {
  const checks: string[] = [];
  const reasons: string[] = [];
  const fresh =
    serving?.dataEnd != null && candidate.dataEnd != null && candidate.dataEnd - serving.dataEnd <= policy.maxServingAgeDays * DAY_SECONDS;
  if (serving && !fresh) checks.push(`serving version's data is older than ${policy.maxServingAgeDays} days: judged against popularity only`);
  for (const [placement, protocols] of Object.entries(candidate.metrics) as [Placement, ProtocolMetrics][]) {
    for (const [protocol, models] of Object.entries(protocols)) {
      const blend = models[BLEND]?.ndcg;
      if (blend === undefined) continue;
      const popularity = models.popularity?.ndcg;
      if (popularity !== undefined) {
        const line = `${placement} ${protocol}: blend ndcg@10 ${blend.toFixed(4)} vs popularity ${popularity.toFixed(4)}`;
        checks.push(line);
        if (blend < popularity - EPSILON) reasons.push(`${line}: below the popularity baseline`);
      }
      const before = fresh ? serving?.metrics[placement]?.[protocol]?.[BLEND]?.ndcg : undefined;
      if (before !== undefined) {
        const floor = before * (1 - policy.tolerance);
        const line = `${placement} ${protocol}: blend ndcg@10 ${blend.toFixed(4)} vs serving ${before.toFixed(4)} (floor ${floor.toFixed(4)})`;
        checks.push(line);
        if (blend < floor - EPSILON) reasons.push(`${line}: worse than the serving version`);
      }
    }
  }
  return reasons.length ? { publish: false, checks, reasons } : { publish: true, checks };
}
