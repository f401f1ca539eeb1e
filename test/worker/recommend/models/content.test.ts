import { addTextSimilarity, contentNeighbours, textIndex, textVector } from '../../../../worker/recommend/models/content';
import { productTerms } from '../../../../worker/recommend/models/product-text';

describe('product text terms', () => {
  it('strips markup, lower-cases, drops stop words and one-letter tokens, and singularises', () => {
    expect(productTerms('SET OF 3 <b>Pink</b> CANDLES, glass')).toEqual(['set', 'pink', 'candle', 'glass']);
  });
});

describe('TF-IDF content similarity', () => {
  // Three items; idf(apple) = ln(4/3) + 1 (two items), idf(banana) = idf(cherry) = ln 2 + 1.
  const texts = ['apple banana', 'apple cherry', 'dates'];
  const ia = Math.log(4 / 3) + 1;
  const ib = Math.log(2) + 1;

  it('scores two items by the cosine of their TF-IDF vectors', () => {
    const neighbours = contentNeighbours(textIndex(texts), 10);
    // Item 0's only neighbour is item 1, sharing `apple`: ia² / (ia² + ib²).
    expect([...neighbours.indices.subarray(neighbours.indptr[0], neighbours.indptr[1])]).toEqual([1]);
    expect(neighbours.values[neighbours.indptr[0]!]).toBeCloseTo((ia * ia) / (ia * ia + ib * ib), 12);
    // `dates` shares no word with anyone.
    expect(neighbours.indptr[3]! - neighbours.indptr[2]!).toBe(0);
  });

  it('ranks the text-alike product first and keeps only the requested neighbours', () => {
    const catalog = ['ceramic teapot blue', 'garden hose', 'ceramic mug', 'teapot cosy', 'blue ceramic teapot large'];
    const neighbours = contentNeighbours(textIndex(catalog), 1);
    // Item 0 shares all three of its words with 4, one with 2 and with 3.
    expect([...neighbours.indices.subarray(neighbours.indptr[0], neighbours.indptr[1])]).toEqual([4]);
    // One neighbour for each item sharing a word with anyone; the garden hose shares none.
    expect(neighbours.indptr[5]).toBe(4);
    expect(neighbours.indptr[2]! - neighbours.indptr[1]!).toBe(0);
  });

  it('scores a text outside the catalog against every catalog item, ignoring unknown words', () => {
    const index = textIndex(texts);
    const scores = new Float64Array(3);
    addTextSimilarity(index, textVector(index, 'Bananas and kiwis'), scores);
    // Only `banana` is known: the query vector is (banana: 1); item 0's banana weight is ib / √(ia² + ib²).
    expect(scores[0]).toBeCloseTo(ib / Math.sqrt(ia * ia + ib * ib), 12);
    expect(scores[1]).toBe(0);
    expect(scores[2]).toBe(0);
  });
});
