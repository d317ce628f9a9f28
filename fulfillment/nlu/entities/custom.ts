// Custom entity types: a value or synonym, case- and diacritic-insensitive, whole words, tolerant of one ASR slip.

import { keepNonOverlapping, type Token, tokenize, tokenizeUncached } from './text.ts';
import type { CustomEntityType, EntityMatch } from './types.ts';

// Short words are too easily another word with one letter changed ("bus"/"bos", "mail"/"main").
const MIN_FUZZY_WORD_LENGTH = 5;

interface CustomCandidate extends EntityMatch {
  exact: boolean;
}

// Whether a.slice(aFrom) === b.slice(bFrom), without building the slices.
const sameTail = (a: string, aFrom: number, b: string, bFrom: number): boolean => {
  const aStart = Math.min(aFrom, a.length);
  const bStart = Math.min(bFrom, b.length);
  if (a.length - aStart !== b.length - bStart) return false;
  for (let offset = 0; aStart + offset < a.length; offset += 1) {
    if (a.charCodeAt(aStart + offset) !== b.charCodeAt(bStart + offset)) return false;
  }
  return true;
};

/** Levenshtein distance of at most one, with a swap of two neighbours also counting as one edit. */
const withinOneEdit = (a: string, b: string): boolean => {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  const swapped =
    a.length === b.length && a[i] === b[i + 1] && a[i + 1] === b[i] && sameTail(a, i + 2, b, i + 2);
  return (
    swapped ||
    sameTail(a, i + 1, b, i + 1) || // substitution
    sameTail(a, i + 1, b, i) || // deletion from a
    sameTail(a, i, b, i + 1) // insertion into a
  );
};

const isFuzzyLength = (word: string): boolean => word.length >= MIN_FUZZY_WORD_LENGTH;

/** Whether `heard` is `expected`, or (both long enough) one edit away; `exact` says which. */
const wordMatches = (expected: string, heard: string): { matches: boolean; exact: boolean } => {
  if (expected === heard) return EXACT;
  return isFuzzyLength(expected) && isFuzzyLength(heard) && withinOneEdit(expected, heard) ? FUZZY : NO_MATCH;
};
const EXACT = { matches: true, exact: true } as const;
const FUZZY = { matches: true, exact: false } as const;
const NO_MATCH = { matches: false, exact: false } as const;

// A value or synonym, tokenised and normalised once per entity type.
interface CompiledPhrase {
  id: string;
  words: readonly string[];
  /** The words written together: "e-mail" -> "email". */
  compact: string;
  /** Position in the entity's values and synonyms, which decides between equally good matches. */
  order: number;
}

interface CompiledEntity {
  /** What the phrases were compiled from, to notice an entity type changed in place. */
  source: readonly (readonly string[])[];
  values: CustomEntityType['values'];
  /** Phrases by their first word, for exact starts. */
  byFirstWord: ReadonlyMap<string, readonly CompiledPhrase[]>;
  /** Phrases whose first word is long enough for a slip, by that word's length. */
  fuzzyByLength: ReadonlyMap<number, readonly CompiledPhrase[]>;
  /** Phrases by their compact form, for words written together or apart. */
  byCompact: ReadonlyMap<string, readonly CompiledPhrase[]>;
  /** Every beginning of a compact form: tokens written together that are none cannot become one. */
  compactPrefixes: ReadonlySet<string>;
  maxWords: number;
}

const sourceOf = (entity: CustomEntityType): string[][] =>
  entity.values.map((entry) => [entry.id, entry.value, ...entry.synonyms]);

const addTo = <K>(index: Map<K, CompiledPhrase[]>, key: K, phrase: CompiledPhrase) => {
  const list = index.get(key);
  if (list) list.push(phrase);
  else index.set(key, [phrase]);
};

const compile = (entity: CustomEntityType): CompiledEntity => {
  const byFirstWord = new Map<string, CompiledPhrase[]>();
  const fuzzyByLength = new Map<number, CompiledPhrase[]>();
  const byCompact = new Map<string, CompiledPhrase[]>();
  const compactPrefixes = new Set<string>();
  let maxWords = 0;
  let order = 0;
  for (const entry of entity.values) {
    for (const text of [entry.value, ...entry.synonyms]) {
      const words = tokenizeUncached(text).map((token) => token.norm);
      order += 1;
      const first = words[0];
      if (first === undefined) continue;
      const phrase: CompiledPhrase = { id: entry.id, words, compact: words.join(''), order };
      addTo(byFirstWord, first, phrase);
      if (isFuzzyLength(first)) addTo(fuzzyByLength, first.length, phrase);
      addTo(byCompact, phrase.compact, phrase);
      for (let length = 0; length <= phrase.compact.length; length += 1)
        compactPrefixes.add(phrase.compact.slice(0, length));
      maxWords = Math.max(maxWords, words.length);
    }
  }
  return {
    source: sourceOf(entity),
    values: entity.values,
    byFirstWord,
    fuzzyByLength,
    byCompact,
    compactPrefixes,
    maxWords,
  };
};

const isUnchanged = (compiled: CompiledEntity, entity: CustomEntityType): boolean => {
  if (compiled.values !== entity.values || compiled.source.length !== entity.values.length) return false;
  return entity.values.every((entry, index) => {
    const source = compiled.source[index];
    if (!source || source.length !== entry.synonyms.length + 2) return false;
    if (source[0] !== entry.id || source[1] !== entry.value) return false;
    return entry.synonyms.every((synonym, at) => source[at + 2] === synonym);
  });
};

// Entity types are built once and used on every turn: compile each once (again if it was changed in place).
const compiledEntities = new WeakMap<CustomEntityType, CompiledEntity>();

const compiledOf = (entity: CustomEntityType): CompiledEntity => {
  const cached = compiledEntities.get(entity);
  if (cached && isUnchanged(cached, entity)) return cached;
  const compiled = compile(entity);
  compiledEntities.set(entity, compiled);
  return compiled;
};

interface OrderedCandidate extends CustomCandidate {
  order: number;
  first: number;
  /** 0 for a word-by-word match, else the number of tokens written together. */
  size: number;
}

const span = (text: string, tokens: readonly Token[], first: number, last: number) => {
  const start = tokens[first]?.start ?? 0;
  const end = tokens[last]?.end ?? 0;
  return { text: text.slice(start, end), start, end };
};

// Word by word from token `first`, each word exact or (when long) one edit off.
const matchWords = (
  text: string,
  tokens: readonly Token[],
  phrase: CompiledPhrase,
  first: number,
  found: OrderedCandidate[],
) => {
  if (first + phrase.words.length > tokens.length) return;
  let exact = true;
  for (let offset = 0; offset < phrase.words.length; offset += 1) {
    const result = wordMatches(phrase.words[offset] ?? '', tokens[first + offset]?.norm ?? '');
    if (!result.matches) return;
    exact &&= result.exact;
  }
  const last = first + phrase.words.length - 1;
  found.push({
    value: phrase.id,
    ...span(text, tokens, first, last),
    exact,
    order: phrase.order,
    first,
    size: 0,
  });
};

const candidatesOf = (
  compiled: CompiledEntity,
  text: string,
  tokens: readonly Token[],
): OrderedCandidate[] => {
  const found: OrderedCandidate[] = [];
  for (let first = 0; first < tokens.length; first += 1) {
    const heard = tokens[first]?.norm ?? '';
    for (const phrase of compiled.byFirstWord.get(heard) ?? [])
      matchWords(text, tokens, phrase, first, found);
    if (isFuzzyLength(heard)) {
      for (let length = heard.length - 1; length <= heard.length + 1; length += 1) {
        for (const phrase of compiled.fuzzyByLength.get(length) ?? []) {
          const firstWord = phrase.words[0] ?? '';
          if (firstWord !== heard && withinOneEdit(firstWord, heard))
            matchWords(text, tokens, phrase, first, found);
        }
      }
    }
    // Written together or apart: "e-mail" / "email", "post nl" / "postnl".
    let joined = '';
    for (let size = 1; size <= compiled.maxWords + 1 && first + size <= tokens.length; size += 1) {
      joined += tokens[first + size - 1]?.norm ?? '';
      if (!compiled.compactPrefixes.has(joined)) break;
      for (const phrase of compiled.byCompact.get(joined) ?? []) {
        if (size !== phrase.words.length && size <= phrase.words.length + 1) {
          const match = span(text, tokens, first, first + size - 1);
          found.push({ value: phrase.id, ...match, exact: true, order: phrase.order, first, size });
        }
      }
    }
  }
  return found;
};

// Longest first; on equal length an exact match beats a fuzzy one, then the earliest wins, then the value or
// synonym listed first.
const byPreference = (a: OrderedCandidate, b: OrderedCandidate): number =>
  b.end - b.start - (a.end - a.start) ||
  Number(b.exact) - Number(a.exact) ||
  a.start - b.start ||
  a.order - b.order ||
  a.first - b.first ||
  a.size - b.size;

const toMatch = ({ value, text, start, end }: OrderedCandidate): EntityMatch => ({ value, text, start, end });

/** All non-overlapping matches of a custom entity type, preferred first. */
export const findCustomMatches = (entity: CustomEntityType, text: string): EntityMatch[] => {
  const compiled = compiledOf(entity);
  const tokens = tokenize(text);
  const candidates = candidatesOf(compiled, text, tokens).sort(byPreference);
  return keepNonOverlapping(candidates, (candidate) => candidate).map(toMatch);
};
