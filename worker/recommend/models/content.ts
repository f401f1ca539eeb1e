import { productTerms } from './product-text';

/**
 * TF-IDF over product text, sparse: every catalog item's vector ((1 + ln tf) · idf, unit length)
 * kept as postings term → items, so similarities cost the shared terms' postings, never items².
 */
export interface TextIndex {
  items: number;
  vocabulary: Map<string, number>;
  /** Per term: ln((1 + items) / (1 + document frequency)) + 1. */
  idf: Float64Array;
  /** Term → (item, weight) postings, compressed rows over terms. */
  termPtr: Int32Array;
  postingItems: Int32Array;
  postingWeights: Float64Array;
  /** Per catalog item: its vector. */
  vectors: TextVector[];
}

/** A text's TF-IDF vector, unit length: parallel term ids and weights. */
export interface TextVector {
  terms: Int32Array;
  weights: Float64Array;
}

function counted(terms: readonly string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

function unitVector(tf: ReadonlyMap<string, number>, vocabulary: ReadonlyMap<string, number>, idf: Float64Array): TextVector {
  const terms: number[] = [];
  const weights: number[] = [];
  let norm = 0;
  for (const [term, count] of tf) {
    const id = vocabulary.get(term);
    if (id === undefined) continue;
    const w = (1 + Math.log(count)) * idf[id]!;
    terms.push(id);
    weights.push(w);
    norm += w * w;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return { terms: Int32Array.from(terms), weights: Float64Array.from(weights, (w) => w * scale) };
}

/** Builds the index over the catalog's texts (index = catalog item). */
export function textIndex(texts: readonly string[]): TextIndex {
  const items = texts.length;
  const tfs = texts.map((t) => counted(productTerms(t)));
  const vocabulary = new Map<string, number>();
  const df: number[] = [];
  for (const tf of tfs) {
    for (const term of tf.keys()) {
      let id = vocabulary.get(term);
      if (id === undefined) {
        id = vocabulary.size;
        vocabulary.set(term, id);
        df.push(0);
      }
      df[id]!++;
    }
  }
  const idf = Float64Array.from(df, (d) => Math.log((1 + items) / (1 + d)) + 1);
  const vectors = tfs.map((tf) => unitVector(tf, vocabulary, idf));
  const termPtr = new Int32Array(vocabulary.size + 1);
  for (const v of vectors) for (const t of v.terms) termPtr[t + 1]!++;
  for (let t = 0; t < vocabulary.size; t++) termPtr[t + 1]! += termPtr[t]!;
  const postingItems = new Int32Array(termPtr[vocabulary.size]!);
  const postingWeights = new Float64Array(postingItems.length);
  const fill = termPtr.slice(0, vocabulary.size);
  vectors.forEach((v, item) => {
    v.terms.forEach((t, k) => {
      const at = fill[t]!++;
      postingItems[at] = item;
      postingWeights[at] = v.weights[k]!;
    });
  });
  return { items, vocabulary, idf, termPtr, postingItems, postingWeights, vectors };
}

/** A text's vector in the index's term space (terms the catalog never used are dropped). */
export function textVector(index: TextIndex, text: string): TextVector {
  return unitVector(counted(productTerms(text)), index.vocabulary, index.idf);
}

/**
 * Adds the cosine similarity of `vector` to every catalog item into `scores` (length = items);
 * items sharing no term are left alone.
 */
export function addTextSimilarity(index: TextIndex, vector: TextVector, scores: Float64Array, scale = 1): void {
  const { termPtr, postingItems, postingWeights } = index;
  for (let k = 0; k < vector.terms.length; k++) {
    const t = vector.terms[k]!;
    const w = vector.weights[k]! * scale;
    for (let p = termPtr[t]!; p < termPtr[t + 1]!; p++) scores[postingItems[p]!]! += w * postingWeights[p]!;
  }
}

/** Item × item content similarity, its `neighbours` best per item (compressed rows, no diagonal). */
export interface ContentNeighbours {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/**
 * Each catalog item's `neighbours` most text-alike catalog items and their cosine. One pass over
 * the postings of each item's terms: Σ over terms of (document frequency)², once per fit.
 */
export function contentNeighbours(index: TextIndex, neighbours: number): ContentNeighbours {
  const n = index.items;
  const scores = new Float64Array(n);
  const touched = new Int32Array(n);
  const mark = new Uint8Array(n);
  const indptr = new Int32Array(n + 1);
  const indices: number[] = [];
  const values: number[] = [];
  const { termPtr, postingItems, postingWeights } = index;
  for (let i = 0; i < n; i++) {
    const v = index.vectors[i]!;
    let count = 0;
    for (let k = 0; k < v.terms.length; k++) {
      const t = v.terms[k]!;
      const w = v.weights[k]!;
      for (let p = termPtr[t]!; p < termPtr[t + 1]!; p++) {
        const j = postingItems[p]!;
        if (j === i) continue;
        if (!mark[j]) {
          mark[j] = 1;
          touched[count++] = j;
        }
        scores[j]! += w * postingWeights[p]!;
      }
    }
    // The `neighbours` best; at the cut, equal scores go to the lower catalog index so every run
    // keeps the same neighbours. A native sort of the scores finds the cut.
    let cut = -Infinity;
    if (count > neighbours) {
      const sorted = Float64Array.from(touched.subarray(0, count), (j) => scores[j]!).sort();
      cut = sorted[count - neighbours]!;
    }
    let atCut = 0;
    for (let c = 0; c < count; c++) if (scores[touched[c]!]! > cut) atCut++;
    const room = Math.min(count, neighbours) - atCut;
    const tied = touched.subarray(0, count).filter((j) => scores[j] === cut).sort();
    for (let c = 0; c < count; c++) {
      const j = touched[c]!;
      if (scores[j]! > cut) {
        indices.push(j);
        values.push(scores[j]!);
      }
    }
    for (const j of tied.subarray(0, room)) {
      indices.push(j);
      values.push(cut);
    }
    indptr[i + 1] = indices.length;
    for (let c = 0; c < count; c++) {
      const j = touched[c]!;
      scores[j] = 0;
      mark[j] = 0;
    }
  }
  return { indptr, indices: Int32Array.from(indices), values: Float64Array.from(values) };
}
