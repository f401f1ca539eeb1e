import type { TrainingSet } from '../evaluation/holdout';
import { columnCounts } from '../evaluation/sparse-matrix';
import { topK } from '../evaluation/top-k';
import { addTextSimilarity, textIndex, textVector } from '../models/content';
import type { CatalogProduct } from './contract';

/** Far below any text cosine: orders only the catalog items a new product shares no word with. */
const POPULARITY_TIE_BREAK = 1e-6;

/**
 * Item-to-item lists for products outside the training catalog (nobody bought them yet), from
 * product text: product code → up to `k` catalog codes, best first, by TF-IDF cosine between the
 * product's text and each catalog item's. A catalog item's text is its entry in `products` when
 * the store sent one (title, type, vendor, tags, description), else `training.itemText`. Catalog
 * items sharing no word with the product follow by basket popularity, so a product with no
 * usable text still gets the store's staples. Products already in the catalog get no entry: the
 * item-to-item blends serve them.
 */
export function coldProductLists(training: TrainingSet, products: readonly CatalogProduct[], k: number): Map<string, string[]> {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`coldProductLists: k must be a non-negative integer, got ${k}`);
  const lists = new Map<string, string[]>();
  const catalog = new Map(training.stockCodes.map((code, index) => [code, index]));
  const fresh = products.filter((p) => !catalog.has(p.code));
  if (!fresh.length || k === 0) return lists;

  const texts = training.itemText.slice();
  for (const { code, text } of products) {
    const at = catalog.get(code);
    if (at !== undefined && text.trim()) texts[at] = text;
  }
  const index = textIndex(texts);
  const baskets = columnCounts(training.baskets);
  let most = 0;
  for (const b of baskets) most = Math.max(most, b);
  const tieBreak = Float64Array.from(baskets, (b) => (most ? (POPULARITY_TIE_BREAK * b) / most : 0));
  const scores = new Float64Array(training.stockCodes.length);
  for (const { code, text } of fresh) {
    scores.set(tieBreak);
    addTextSimilarity(index, textVector(index, text), scores);
    lists.set(code, Array.from(topK(scores, Math.min(k, scores.length)), (item) => training.stockCodes[item]!));
  }
  return lists;
}
