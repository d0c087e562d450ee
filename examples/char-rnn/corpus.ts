/** The training text as numbers: a vocabulary of its characters and every character's index in it. */
import { readFileSync } from 'node:fs';

/** A text, its sorted distinct characters, and the text as indices into them. */
export interface Corpus {
  text: string;
  vocabulary: string[];
  ids: Int32Array;
}

/**
 * Builds the vocabulary of `text` (its distinct characters, sorted) and encodes the text with it.
 *
 * @example
 * ```ts
 * const { vocabulary, ids } = makeCorpus('abba');
 * [vocabulary, Array.from(ids)]; // [['a', 'b'], [0, 1, 1, 0]]
 * ```
 */
export function makeCorpus(text: string): Corpus {
  const vocabulary = [...new Set(text)].sort();
  return { text, vocabulary, ids: encode(text, vocabulary) };
}

/**
 * Reads a UTF-8 text file into a {@link Corpus}.
 *
 * @example
 * ```ts
 * const corpus = readCorpus('text.txt');
 * ```
 */
export function readCorpus(path: string): Corpus {
  return makeCorpus(readFileSync(path, 'utf8'));
}

/**
 * The indices of `text`'s characters in `vocabulary`; an Error names the first one missing from it.
 *
 * @example
 * ```ts
 * Array.from(encode('ba', ['a', 'b'])); // [1, 0]
 * ```
 */
export function encode(text: string, vocabulary: readonly string[]): Int32Array {
  const index = new Map(vocabulary.map((c, i) => [c, i]));
  return Int32Array.from([...text], (c) => {
    const i = index.get(c);
    if (i === undefined)
      throw new Error(`the character ${JSON.stringify(c)} is not in the training text`);
    return i;
  });
}

/**
 * The characters of `ids`, joined.
 *
 * @example
 * ```ts
 * decode([1, 0], ['a', 'b']); // 'ba'
 * ```
 */
export function decode(ids: ArrayLike<number>, vocabulary: readonly string[]): string {
  return Array.from(ids, (i) => vocabulary[i]!).join('');
}

/**
 * The cross-entropy, in nats per character, of predicting every character from the characters'
 * frequencies alone: what a model that ignores context would score.
 *
 * @example
 * ```ts
 * unigramEntropy(makeCorpus('abab')); // Math.log(2)
 * ```
 */
export function unigramEntropy(corpus: Corpus): number {
  const counts = new Array<number>(corpus.vocabulary.length).fill(0);
  for (const id of corpus.ids) counts[id]!++;
  return counts.reduce(
    (sum, n) => (n === 0 ? sum : sum - (n / corpus.ids.length) * Math.log(n / corpus.ids.length)),
    0,
  );
}
