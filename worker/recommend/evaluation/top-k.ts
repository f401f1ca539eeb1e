/**
 * The k best items by score, best first; ties go to the lower catalog index so every run
 * ranks the same. Items flagged in `excluded` are never returned; every other item is a
 * candidate, zero scores included (the protocol ranks the full catalog).
 */
export function topK(scores: Float64Array, k: number, excluded?: Uint8Array): Int32Array {
  const items = new Int32Array(k).fill(-1);
  const best = new Float64Array(k).fill(-Infinity);
  let size = 0;
  for (let i = 0; i < scores.length; i++) {
    if (excluded && excluded[i]) continue;
    const s = scores[i]!;
    if (size === k && s <= best[k - 1]!) continue;
    // Insertion into a sorted array of k: k is 10, a heap would not pay for itself.
    let at = size < k ? size++ : k - 1;
    while (at > 0 && best[at - 1]! < s) {
      best[at] = best[at - 1]!;
      items[at] = items[at - 1]!;
      at--;
    }
    best[at] = s;
    items[at] = i;
  }
  return size === k ? items : items.slice(0, size);
}
