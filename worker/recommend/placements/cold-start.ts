import type { TrainingSet } from '../evaluation/holdout';
import type { CatalogProduct } from './contract';

/**
 * Item-to-item lists for products outside the training catalog (nobody bought them yet), from
 * product text: product code → up to `k` catalog codes, best first. PROVISIONAL: none until the
 * content model lands.
 */
export function coldProductLists(_training: TrainingSet, _products: readonly CatalogProduct[], _k: number): Map<string, string[]> {
  return new Map();
}
