/**
 * Most sponsored products a block of `limit` cards holds: what the block and the shop allow, and
 * never more than half the block (one in a one-card block).
 */
export function sponsoredCount(limit: number, allowed: number): number {
  return Math.max(0, Math.min(allowed, Math.max(1, Math.floor(limit / 2))));
}

/**
 * Where `count` sponsored cards go in a block of `limit`: positions 1, 3, 5, … (the second card
 * first), moved earlier where the block is too short, never onto a merchant's pinned slot.
 * Decided before the auction, so that every product it picks (and counts against the shopper's
 * frequency cap) is shown.
 */
export function sponsoredPositions(limit: number, count: number, pinned: ReadonlySet<number>): number[] {
  const taken = new Set(pinned);
  const positions: number[] = [];
  for (let i = 0; i < count; i++) {
    let at = Math.min(1 + 2 * i, limit - count + i);
    while (at < limit && taken.has(at)) at++;
    if (at >= limit) {
      at = limit - 1;
      while (at >= 0 && taken.has(at)) at--;
      if (at < 0) break;
    }
    taken.add(at);
    positions.push(at);
  }
  return positions.sort((a, b) => a - b);
}

/**
 * The block: pinned cards at their slots, sponsored cards at theirs, the organic ones in order
 * around them, at most `limit`. A card whose slot lies past a short organic list moves up.
 */
export function interleave<T>(organic: readonly T[], pinned: ReadonlySet<number>, positions: readonly number[], picks: readonly T[], limit: number): T[] {
  const fixed = new Map<number, T>();
  const free: T[] = [];
  organic.forEach((card, i) => (pinned.has(i) ? fixed.set(i, card) : free.push(card)));
  positions.slice(0, picks.length).forEach((at, k) => fixed.set(at, picks[k]!));
  const block: T[] = [];
  for (let at = 0; block.length < limit; at++) {
    const card = fixed.get(at);
    if (card !== undefined) {
      fixed.delete(at);
      block.push(card);
    } else if (free.length) {
      block.push(free.shift()!);
    } else if (fixed.size) {
      // Nothing organic left to fill this slot: the next fixed card moves up.
      const next = Math.min(...fixed.keys());
      block.push(fixed.get(next)!);
      fixed.delete(next);
    } else {
      break;
    }
  }
  return block;
}
