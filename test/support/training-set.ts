import { seededRandom, sparseFromRows, type SparseMatrix, type TrainingSet } from '../../worker/recommend/evaluation';

/**
 * A TrainingSet for model tests from per-user maps item → strength. Baskets default to the user
 * rows; every purchase and basket is dated at `cutoff` unless the test says otherwise.
 */
export function trainingSetOf(
  rows: ReadonlyArray<ReadonlyMap<number, number>>,
  items: number,
  extra: Partial<Omit<TrainingSet, 'interactions'>> & { baskets?: SparseMatrix } = {},
): TrainingSet {
  const interactions = sparseFromRows(rows, items);
  const baskets = extra.baskets ?? interactions;
  const cutoff = extra.cutoff ?? 0;
  return {
    stockCodes: Array.from({ length: items }, (_, i) => String(10000 + i)),
    customerIds: rows.map((_, u) => `c${u}`),
    itemText: Array.from({ length: items }, () => ''),
    lastPurchase: new Float64Array(interactions.indices.length).fill(cutoff),
    basketTime: new Float64Array(baskets.rows).fill(cutoff),
    ...extra,
    cutoff,
    interactions,
    baskets,
  };
}

/**
 * Two stores in one: users 0–29 buy among items 0–5, users 30–59 among items 6–11. Each user
 * buys four of their cluster's six items (a seeded draw) one to three times each. A
 * factorisation with two factors should find exactly this structure.
 */
export function twoClusters(): TrainingSet {
  const random = seededRandom(42);
  const rows: Map<number, number>[] = [];
  for (let u = 0; u < 60; u++) {
    const offset = u < 30 ? 0 : 6;
    const row = new Map<number, number>();
    while (row.size < 4) row.set(offset + Math.floor(random() * 6), 1 + Math.floor(random() * 3));
    rows.push(row);
  }
  return trainingSetOf(rows, 12);
}
