import type { RankProduct } from './rank-product';

/** How alike two products look to a shopper, in [0, 1]: 0.4 same vendor, 0.3 same type, 0.3 × tag overlap (Jaccard). */
export function similarity(a: RankProduct, b: RankProduct): number {
  let s = 0;
  if (a.vendorKey >= 0 && a.vendorKey === b.vendorKey) s += 0.4;
  if (a.typeKey >= 0 && a.typeKey === b.typeKey) s += 0.3;
  const x = a.tagKeys;
  const y = b.tagKeys;
  if (x.length && y.length) {
    // Both sorted ascending: one merge pass, no allocation.
    let i = 0;
    let j = 0;
    let shared = 0;
    while (i < x.length && j < y.length) {
      if (x[i] === y[j]) {
        shared++;
        i++;
        j++;
      } else if (x[i]! < y[j]!) i++;
      else j++;
    }
    s += (0.3 * shared) / (x.length + y.length - shared);
  }
  return s;
}
