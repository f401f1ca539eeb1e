/** A seeded source of uniform numbers in [0, 1): mulberry32, so a simulated day replays exactly. */
export type Random = () => number;

/**
 * Held locally: under Jest, test code runs in a vm context where each global lookup (`Math`) is
 * slow, and a simulated day draws millions of numbers.
 */
const imul = Math.imul;

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A Poisson count of mean `mean` (Knuth's method: the means here are small, under ~50). */
export function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random();
  while (product > limit) {
    count += 1;
    product *= random();
  }
  return count;
}
