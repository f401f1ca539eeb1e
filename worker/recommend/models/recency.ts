const DAY_SECONDS = 86_400;

/**
 * How much a purchase `ageSeconds` old still counts: `floor + (1 − floor) · 2^(−age / halfLife)`,
 * 1 at age 0, halving its excess over `floor` every `halfLifeDays`. An infinite half-life counts
 * every purchase 1. Ages below 0 (a purchase after "now") count as 0 days old.
 */
export function recencyWeight(ageSeconds: number, halfLifeDays: number, floor = 0): number {
  if (!(halfLifeDays > 0)) throw new RangeError(`half-life must be positive, got ${halfLifeDays}`);
  if (halfLifeDays === Infinity) return 1;
  const days = Math.max(ageSeconds, 0) / DAY_SECONDS;
  return floor + (1 - floor) * Math.pow(2, -days / halfLifeDays);
}

/** A user-history decay: how `recencyWeight` is applied to each of a user's items. */
export interface HistoryDecay {
  halfLifeDays: number;
  floor: number;
}
