import { sparseFromRows, type SparseMatrix, type TrainingSet } from '../../worker/recommend/evaluation';

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
