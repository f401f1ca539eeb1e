// Words that say nothing about what a product is, in titles and descriptions alike.
const STOP_WORDS = new Set(['a', 'an', 'and', 'the', 'of', 'in', 'on', 'for', 'with', 'to', 'by', 'or', 'is', 'it', 'its', 'at', 'from', 'this', 'that', 'our', 'your', 'you']);

/**
 * The terms of a product text for content similarity: markup stripped, lower-cased, split on
 * anything but letters and digits, stop words and one-character tokens dropped, and a plural
 * `s` removed so "CANDLES" and "candle" meet. Repeats are kept (term frequency).
 */
export function productTerms(text: string): string[] {
  const terms: string[] = [];
  for (const token of text.replace(/<[^>]*>/g, ' ').toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (token.length < 2 || STOP_WORDS.has(token)) continue;
    terms.push(token.length > 3 && token.endsWith('s') && !token.endsWith('ss') ? token.slice(0, -1) : token);
  }
  return terms;
}
