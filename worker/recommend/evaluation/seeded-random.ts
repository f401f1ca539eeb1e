/**
 * mulberry32: a tiny, fixed PRNG so the `fbt-30d` anchors are the same on every machine and
 * every run. Returns floats in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of the `fbt-30d` anchor draw. Changing it changes the published numbers. */
export const FBT_ANCHOR_SEED = 20_101_209;
