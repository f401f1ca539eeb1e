import { createHash } from 'node:crypto';
import { mulberry32 } from '../../random';

/**
 * A seeded pseudo-random source (mulberry32, shared/random): the same seed gives the same sequence on every
 * machine and Node version. Not for anything secret; it only makes simulated traffic repeatable.
 */
export interface SeededRandom {
  /** A number in [0, 1). */
  next(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number;
  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T;
}

/** 32 bits of SHA-256 over the parts: a sub-seed per visitor, so visitors never share a stream. */
export function seedOf(...parts: Array<string | number>): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0);
}

export function seededRandom(seed: number): SeededRandom {
  const next = mulberry32(seed);
  return {
    next,
    chance: (p) => next() < p,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
  };
}
