/** The largest score among the candidates (entries not flagged in `excluded`); -Infinity if none. */
export function maxOver(scores: Float64Array, excluded?: Uint8Array): number {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) if (!excluded?.[i] && scores[i]! > max) max = scores[i]!;
  return max;
}

/**
 * Divides `scores` in place by their largest candidate score, so components on different scales
 * can be summed with weights: the best candidate scores 1. Left as they are when no candidate
 * scores above 0 (nothing to scale by). Returns the divisor used (1 when left as they are).
 */
export function scaleToUnitMax(scores: Float64Array, excluded?: Uint8Array): number {
  const max = maxOver(scores, excluded);
  if (!(max > 0)) return 1;
  for (let i = 0; i < scores.length; i++) scores[i]! /= max;
  return max;
}
