/** A ratio 0..n of two counts or amounts, or null when the denominator is 0 (computed last, from exact integers). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/**
 * An average amount in integer minor units, rounded half up (integer arithmetic: no float ever
 * touches the amount), or null without anything to average.
 */
export function averageMinor(totalMinor: number, count: number): number | null {
  if (count <= 0) return null;
  return Math.floor((2 * totalMinor + count) / (2 * count));
}
