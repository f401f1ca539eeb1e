import fc from 'fast-check';
import { seededRandom, seedOf } from '../../../../shared/dev/shopper-sessions/seeded-random';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, and values in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = seededRandom(seed);
        const b = seededRandom(seed);
        for (let i = 0; i < 50; i++) {
          const x = a.next();
          expect(b.next()).toBe(x);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
  });

  it('int stays within its inclusive bounds and pick within its list', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.array(fc.string(), { minLength: 1, maxLength: 10 }), (seed, min, span, items) => {
        const rng = seededRandom(seed);
        for (let i = 0; i < 20; i++) {
          const n = rng.int(min, min + span);
          expect(Number.isInteger(n) && n >= min && n <= min + span).toBe(true);
          expect(items).toContain(rng.pick(items));
        }
      }),
    );
  });

  it('chance(p) comes out near p over many draws (a fixed seed, so this never flakes)', () => {
    const rng = seededRandom(seedOf('chance', 1));
    for (const p of [0.05, 0.22, 0.45, 0.85]) {
      let hits = 0;
      for (let i = 0; i < 20_000; i++) if (rng.chance(p)) hits++;
      // Binomial standard deviation at 20,000 draws is at most 0.0036: five of them.
      expect(Math.abs(hits / 20_000 - p)).toBeLessThan(0.018);
    }
  });

  it('sub-seeds differ by their parts', () => {
    expect(seedOf('shopper-sessions', 1, 'visitor', 0)).not.toBe(seedOf('shopper-sessions', 1, 'visitor', 1));
    expect(seedOf('shopper-sessions', 1, 'visitor', 0)).not.toBe(seedOf('shopper-sessions', 2, 'visitor', 0));
  });
});
