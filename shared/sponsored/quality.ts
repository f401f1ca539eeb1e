/** Click-through a sponsored product is expected to have at relevance 1, before any evidence. */
export const BASE_CTR = 0.02;

/**
 * Weight of the prior, in impressions: a product needs about this many sponsored impressions
 * of its own before its observed click-through counts as much as the prior.
 */
export const PRIOR_IMPRESSIONS = 200;

/** What predictedCtr needs to know about one sponsored product in one request. */
export interface CtrEvidence {
  /** Relevance in context, 0–1 (docs/sponsored.md, Relevance); clamped into that range. */
  relevance: number;
  /** The product's sponsored impressions of the last 30 days. */
  impressions: number;
  /** Clicks on those impressions; clamped to 0 ≤ clicks ≤ impressions. */
  clicks: number;
}

/**
 * The auction's quality: predicted click-through, the mean of a beta prior centred on
 * `BASE_CTR × relevance` with strength PRIOR_IMPRESSIONS, updated by observed impressions and
 * clicks. The prior keeps a new product from winning (or losing) on two lucky (or unlucky)
 * impressions, and relevance keeps an unrelated product's prior low. Counts that cannot be
 * (negative, non-finite, more clicks than impressions) are clamped rather than thrown on: the
 * counters are written by a separate process and must never take a request down.
 */
export function predictedCtr(input: CtrEvidence): number {
  const relevance = clamp(finiteOr(input.relevance, 0), 0, 1);
  const impressions = Math.max(0, finiteOr(input.impressions, 0));
  const clicks = clamp(finiteOr(input.clicks, 0), 0, impressions);
  return (clicks + PRIOR_IMPRESSIONS * BASE_CTR * relevance) / (impressions + PRIOR_IMPRESSIONS);
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
