import fc from 'fast-check';
import { interleave, sponsoredCount, sponsoredPositions } from '../../../../app/proxy/sponsored';

describe('where sponsored cards go in a block', () => {
  it('examples: the second card first, then every other; a one-card block; a pinned second slot', () => {
    expect(sponsoredPositions(4, sponsoredCount(4, 2), new Set())).toEqual([1, 3]);
    expect(sponsoredPositions(1, sponsoredCount(1, 1), new Set())).toEqual([0]);
    expect(sponsoredPositions(2, sponsoredCount(2, 2), new Set())).toEqual([1]);
    expect(sponsoredPositions(4, 1, new Set([1]))).toEqual([2]);
    expect(interleave(['a', 'b', 'c', 'd'], new Set([1]), [2], ['S'], 4)).toEqual(['a', 'b', 'S', 'c']);
  });

  it('property: every planned sponsored card is shown, pins keep their slots, the rest keeps its order, never more than the limit or half the block', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 20 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 19 }), { maxLength: 4 }),
        (limit, allowed, organicLength, pinSlots) => {
          const organic = Array.from({ length: Math.min(organicLength, limit) }, (_, i) => `o${i}`);
          const pinned = new Set(pinSlots.filter((i) => i < organic.length));
          const count = sponsoredCount(limit, allowed);
          expect(count).toBeLessThanOrEqual(Math.max(1, Math.floor(limit / 2)));
          const positions = sponsoredPositions(limit, count, pinned);
          const picks = positions.map((_, k) => `S${k}`);
          const block = interleave(organic, pinned, positions, picks, limit);
          expect(block.length).toBeLessThanOrEqual(limit);
          // Every pick is in the block (each was counted against a frequency cap).
          for (const pick of picks) expect(block).toContain(pick);
          // A pin stays at its slot whenever the block reaches it.
          for (const slot of pinned) expect(block[slot]).toBe(organic[slot]);
          // Unpinned organic cards keep their relative order.
          const pinnedCards = new Set([...pinned].map((i) => organic[i]));
          const flowing = block.filter((card) => card.startsWith('o') && !pinnedCards.has(card));
          expect(flowing).toEqual(organic.filter((card) => !pinnedCards.has(card) && flowing.includes(card)));
          // Nothing organic is dropped while there is room.
          if (block.length < limit) expect(block.filter((card) => card.startsWith('o'))).toHaveLength(organic.length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
