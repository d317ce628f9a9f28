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

/** Any locale starting with 'nl' is Dutch; everything else is treated as English. */
export const languageOf = (locale: string): Lang => (/^nl\b/i.test(locale) ? 'nl' : 'en');

export const normalizeWord = (word: string): string =>
  word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/['’]/g, '');

export const tokenize = (text: string): Token[] =>
  Array.from(text.matchAll(TOKEN_PATTERN), (match) => {
    const raw = match[0];
    const start = match.index ?? 0;
    return { raw, norm: normalizeWord(raw), start, end: start + raw.length, isDigits: /^[0-9]+$/.test(raw) };
  });

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
