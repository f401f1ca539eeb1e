/** The protocol's cut-off: every metric is @10. */
export const K = 10;

/** Means over the queries of one protocol for one model; see docs/evaluation.md. */
export interface RankingMetrics {
  /** Test users (or `fbt` queries) scored. */
  queries: number;
  precision: number;
  recall: number;
  /** 2PR/(P+R) of the mean precision and mean recall, not a mean of per-user f1. */
  f1: number;
  ndcg: number;
  hit: number;
  /** Distinct items recommended to anyone / catalog size. */
  coverage: number;
}

const DISCOUNT = Array.from({ length: 64 }, (_, r) => 1 / Math.log2(r + 2));

/** Accumulates one protocol's per-query results; `k` is 10 in the protocol, smaller only in tests. */
export class MetricAccumulator {
  private queries = 0;
  private precision = 0;
  private recall = 0;
  private ndcg = 0;
  private hits = 0;
  private readonly recommended: Uint8Array;

  constructor(
    private readonly catalogSize: number,
    private readonly k: number = K,
  ) {
    this.recommended = new Uint8Array(catalogSize);
  }

  /** `ranked`: the model's list, best first (at most k); `truth`: the items to find. */
  add(ranked: Int32Array, truth: Int32Array): void {
    const wanted = new Set(truth);
    let hits = 0;
    let dcg = 0;
    const n = Math.min(this.k, ranked.length);
    for (let r = 0; r < n; r++) {
      const item = ranked[r]!;
      this.recommended[item] = 1;
      if (wanted.has(item)) {
        hits++;
        dcg += DISCOUNT[r]!;
      }
    }
    const ideal = Math.min(this.k, wanted.size);
    let idcg = 0;
    for (let r = 0; r < ideal; r++) idcg += DISCOUNT[r]!;
    this.queries++;
    this.precision += hits / this.k;
    this.recall += ideal ? hits / ideal : 0;
    this.ndcg += idcg ? dcg / idcg : 0;
    if (hits > 0) this.hits++;
  }

  result(): RankingMetrics {
    const n = this.queries || 1;
    const precision = this.precision / n;
    const recall = this.recall / n;
    let distinct = 0;
    for (const flag of this.recommended) distinct += flag;
    return {
      queries: this.queries,
      precision,
      recall,
      f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
      ndcg: this.ndcg / n,
      hit: this.hits / n,
      coverage: this.catalogSize ? distinct / this.catalogSize : 0,
    };
  }
}
