// Turns text into L2-normalised TF-IDF vectors over word n-grams and character n-grams.
import { tokenize } from './normalize.ts';

export interface FeatureOptions {
  /** Longest word n-gram; 2 means unigrams and bigrams. */
  wordNgramMax: number;
  /** Character n-grams are taken inside each word padded with spaces, like "char_wb" in other toolkits. */
  charNgramMin: number;
  charNgramMax: number;
  /** Relative weight of the word block and the character block in the final unit vector. */
  wordWeight: number;
  charWeight: number;
  /** Features seen in fewer training texts than this are left out of the vocabulary. */
  minDocumentFrequency: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  wordNgramMax: 2,
  charNgramMin: 2,
  charNgramMax: 5,
  wordWeight: 1,
  charWeight: 1,
  minDocumentFrequency: 1,
};

/** A sparse vector: parallel arrays of feature indices and their values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

export interface Vectorizer {
  readonly featureCount: number;
  vectorize(text: string): SparseVector;
}

interface TermCounts {
  readonly words: Map<string, number>;
  readonly chars: Map<string, number>;
}

function increment(counts: Map<string, number>, term: string): void {
  counts.set(term, (counts.get(term) ?? 0) + 1);
}

/** Counts the word and character n-grams of one text; the two kinds are kept apart for block weighting. */
function countTerms(text: string, options: FeatureOptions): TermCounts {
  const tokens = tokenize(text);
  const words = new Map<string, number>();
  const chars = new Map<string, number>();
  for (let start = 0; start < tokens.length; start++) {
    let gram = '';
    for (let length = 1; length <= options.wordNgramMax && start + length <= tokens.length; length++) {
      gram = length === 1 ? (tokens[start] as string) : `${gram} ${tokens[start + length - 1]}`;
      increment(words, gram);
    }
  }
  for (const token of tokens) {
    // Padding marks word starts and ends, which carry most of the meaning of Dutch compounds and inflections.
    const padded = ` ${token} `;
    for (let size = options.charNgramMin; size <= options.charNgramMax; size++) {
      if (size > padded.length) {
        break;
      }
      for (let start = 0; start + size <= padded.length; start++) {
        increment(chars, padded.slice(start, start + size));
      }
    }
  }
  return { words, chars };
}

interface Block {
  readonly vocabulary: Map<string, number>;
  readonly idf: Float64Array;
  readonly weight: number;
}

/** Appends one block's sublinear TF-IDF values, scaled so the block has L2 norm equal to its weight. */
function appendBlock(counts: Map<string, number>, block: Block, indices: number[], values: number[]): void {
  const firstValue = values.length;
  let squaredNorm = 0;
  for (const [term, count] of counts) {
    const index = block.vocabulary.get(term);
    if (index === undefined) {
      continue;
    }
    const value = (1 + Math.log(count)) * (block.idf[index] as number);
    indices.push(index);
    values.push(value);
    squaredNorm += value * value;
  }
  if (squaredNorm === 0) {
    return;
  }
  const scale = block.weight / Math.sqrt(squaredNorm);
  for (let position = firstValue; position < values.length; position++) {
    values[position] = (values[position] as number) * scale;
  }
}

function buildBlock(
  documents: readonly Map<string, number>[],
  firstIndex: number,
  minDocumentFrequency: number,
  weight: number,
): Block {
  const documentFrequency = new Map<string, number>();
  for (const counts of documents) {
    for (const term of counts.keys()) {
      increment(documentFrequency, term);
    }
  }
  const vocabulary = new Map<string, number>();
  const idfValues: number[] = [];
  for (const [term, frequency] of documentFrequency) {
    if (frequency >= minDocumentFrequency) {
      vocabulary.set(term, firstIndex + idfValues.length);
      // Smoothed IDF, as if one extra document contained every term: never zero, never infinite.
      idfValues.push(Math.log((1 + documents.length) / (1 + frequency)) + 1);
    }
  }
  const idf = new Float64Array(firstIndex + idfValues.length);
  idf.set(idfValues, firstIndex);
  return { vocabulary, idf, weight };
}

function toSparseVector(indices: number[], values: number[], totalWeight: number): SparseVector {
  const vector = { indices: Int32Array.from(indices), values: Float64Array.from(values) };
  for (let position = 0; position < vector.values.length; position++) {
    vector.values[position] = (vector.values[position] as number) / totalWeight;
  }
  return vector;
}

/** Learns vocabulary and IDF from the training texts and returns the vectorizer with the training vectors. */
export function fitVectorizer(
  texts: readonly string[],
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
): { vectorizer: Vectorizer; vectors: SparseVector[] } {
  const counted = texts.map((text) => countTerms(text, options));
  const wordBlock = buildBlock(
    counted.map((counts) => counts.words),
    0,
    options.minDocumentFrequency,
    options.wordWeight,
  );
  const charBlock = buildBlock(
    counted.map((counts) => counts.chars),
    wordBlock.vocabulary.size,
    options.minDocumentFrequency,
    options.charWeight,
  );
  // Each block is normalised to its weight; dividing by the combined norm makes the whole vector unit length.
  const totalWeight = Math.hypot(options.wordWeight, options.charWeight);
  const vectorizeCounts = (counts: TermCounts): SparseVector => {
    const indices: number[] = [];
    const values: number[] = [];
    appendBlock(counts.words, wordBlock, indices, values);
    appendBlock(counts.chars, charBlock, indices, values);
    return toSparseVector(indices, values, totalWeight);
  };
  const vectorizer: Vectorizer = {
    featureCount: wordBlock.vocabulary.size + charBlock.vocabulary.size,
    vectorize: (text) => vectorizeCounts(countTerms(text, options)),
  };
  return { vectorizer, vectors: counted.map(vectorizeCounts) };
}
