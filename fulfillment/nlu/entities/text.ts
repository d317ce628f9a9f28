// Tokenisation and normalisation shared by the entity extractors, keeping character offsets into the input.

export type Lang = 'nl' | 'en';

export interface Token {
  /** The surface text exactly as it appears in the input. */
  raw: string;
  /** Lower-cased, diacritics and apostrophes removed: the form all word lists are compared against. */
  norm: string;
  start: number;
  end: number;
  isDigits: boolean;
}

// Letters and digits form separate tokens so "12a", "pl123456" and "1234AB" split into their parts;
// apostrophes inside a word stay in it so "that's" and "don't" remain one word.
const TOKEN_PATTERN = /[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*|[0-9]+/gu;

const DUTCH_LOCALE = /^nl\b/i;

/** Any locale starting with 'nl' is Dutch; everything else is treated as English. */
export const languageOf = (locale: string): Lang => (DUTCH_LOCALE.test(locale) ? 'nl' : 'en');

const MARKS = /\p{M}/gu;
const APOSTROPHES = /['’]/g;
const APOSTROPHE = 0x27;
const LAST_ASCII = 0x7f;

// Lower-cased ASCII without an apostrophe is already normal (NFD leaves ASCII alone): the common case.
const isPlainAscii = (word: string): boolean => {
  for (let index = 0; index < word.length; index += 1) {
    const code = word.charCodeAt(index);
    if (code > LAST_ASCII || code === APOSTROPHE) return false;
  }
  return true;
};

export const normalizeWord = (word: string): string => {
  const lower = word.toLowerCase();
  return isPlainAscii(lower) ? lower : lower.normalize('NFD').replace(MARKS, '').replace(APOSTROPHES, '');
};

export const tokenizeUncached = (text: string): readonly Token[] => {
  const tokens: Token[] = [];
  TOKEN_PATTERN.lastIndex = 0;
  for (let match = TOKEN_PATTERN.exec(text); match !== null; match = TOKEN_PATTERN.exec(text)) {
    const raw = match[0];
    const start = match.index;
    const first = raw.charCodeAt(0);
    // The pattern's alternatives are letters or digits only, so the first character decides.
    tokens.push({
      raw,
      norm: normalizeWord(raw),
      start,
      end: start + raw.length,
      isDigits: first >= 48 && first <= 57,
    });
  }
  return Object.freeze(tokens);
};

// Every extractor of a turn tokenises the same text: keep the tokens of the last few texts. The arrays are
// frozen and shared, so callers must treat them as read-only (their type says so).
const TOKEN_CACHE_SIZE = 32;
const tokenCache = new Map<string, readonly Token[]>();

export const tokenize = (text: string): readonly Token[] => {
  const cached = tokenCache.get(text);
  if (cached) return cached;
  const tokens = tokenizeUncached(text);
  if (tokenCache.size >= TOKEN_CACHE_SIZE) {
    const oldest = tokenCache.keys().next();
    if (!oldest.done) tokenCache.delete(oldest.value);
  }
  tokenCache.set(text, tokens);
  return tokens;
};

/** Empties the per-text caches (for benchmarks that want to time a text seen for the first time). */
export const clearTextCaches = (): void => {
  tokenCache.clear();
};

/** The characters between token i-1 and token i (from the start of the text for i = 0). */
export const gapBefore = (text: string, tokens: readonly Token[], index: number): string =>
  text.slice(index === 0 ? 0 : (tokens[index - 1]?.end ?? 0), tokens[index]?.start ?? text.length);

/** The characters after token i up to the next token (or the end of the text). */
export const gapAfter = (text: string, tokens: readonly Token[], index: number): string =>
  text.slice(tokens[index]?.end ?? text.length, tokens[index + 1]?.start ?? text.length);

/** Hesitation sounds that speech recognisers write out and that may interrupt a spoken number. */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  'eh',
  'ehm',
  'euh',
  'uh',
  'uhm',
  'um',
  'umm',
  'uhh',
  'erm',
  'hmm',
  'hm',
]);

/** Words that announce a number ("nummer een", "number one"), making an ambiguous word like "een" a number. */
export const NUMBER_CUE_WORDS: ReadonlySet<string> = new Set([
  'nummer',
  'huisnummer',
  'nr',
  'number',
  'getal',
  'cijfer',
]);

/** Greedily keeps the spans that do not overlap an earlier kept one; pass them sorted by preference. */
export const keepNonOverlapping = <T>(
  preferred: readonly T[],
  spanOf: (item: T) => { start: number; end: number },
) => {
  const kept: T[] = [];
  for (const item of preferred) {
    const { start, end } = spanOf(item);
    const overlapsKept = kept.some((other) => {
      const span = spanOf(other);
      return span.start < end && start < span.end;
    });
    if (!overlapsKept) kept.push(item);
  }
  return kept;
};
