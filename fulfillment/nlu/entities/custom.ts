// Custom entity types: a value or synonym, case- and diacritic-insensitive, whole words, tolerant of one ASR slip.

import { keepNonOverlapping, type Token, tokenize } from './text.ts';
import type { CustomEntityType, EntityMatch } from './types.ts';

// Short words are too easily another word with one letter changed ("bus"/"bos", "mail"/"main").
const MIN_FUZZY_WORD_LENGTH = 5;

interface CustomCandidate extends EntityMatch {
  exact: boolean;
}

/** Levenshtein distance of at most one, with a swap of two neighbours also counting as one edit. */
const withinOneEdit = (a: string, b: string): boolean => {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  const swapped =
    a.length === b.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  return (
    swapped ||
    a.slice(i + 1) === b.slice(i + 1) || // substitution
    a.slice(i + 1) === b.slice(i) || // deletion from a
    a.slice(i) === b.slice(i + 1) // insertion into a
  );
};

const wordMatches = (expected: string, heard: string): { matches: boolean; exact: boolean } => {
  if (expected === heard) return { matches: true, exact: true };
  const longEnough = expected.length >= MIN_FUZZY_WORD_LENGTH && heard.length >= MIN_FUZZY_WORD_LENGTH;
  return { matches: longEnough && withinOneEdit(expected, heard), exact: false };
};

const span = (text: string, tokens: readonly Token[], first: number, last: number) => {
  const start = tokens[first]?.start ?? 0;
  const end = tokens[last]?.end ?? 0;
  return { text: text.slice(start, end), start, end };
};

const matchesOfPhrase = (
  text: string,
  tokens: readonly Token[],
  phrase: string,
  id: string,
): CustomCandidate[] => {
  const words = tokenize(phrase).map((token) => token.norm);
  if (words.length === 0) return [];
  const compact = words.join('');
  const found: CustomCandidate[] = [];
  for (let first = 0; first < tokens.length; first += 1) {
    // Word by word, each word exact or (when long) one edit off.
    const perWord = words.map((word, offset) => wordMatches(word, tokens[first + offset]?.norm ?? ''));
    if (perWord.every((result) => result.matches)) {
      const exact = perWord.every((result) => result.exact);
      found.push({ value: id, ...span(text, tokens, first, first + words.length - 1), exact });
    }
    // Written together or apart: "e-mail" / "email", "post nl" / "postnl".
    for (let size = 1; size <= words.length + 1; size += 1) {
      if (size === words.length || first + size > tokens.length) continue;
      const joined = tokens
        .slice(first, first + size)
        .map((token) => token.norm)
        .join('');
      if (joined === compact)
        found.push({ value: id, ...span(text, tokens, first, first + size - 1), exact: true });
    }
  }
  return found;
};

// Longest first; on equal length an exact match beats a fuzzy one, then the earliest wins.
const byPreference = (a: CustomCandidate, b: CustomCandidate): number =>
  b.end - b.start - (a.end - a.start) || Number(b.exact) - Number(a.exact) || a.start - b.start;

const withoutExact = ({ exact: _exact, ...match }: CustomCandidate): EntityMatch => match;

/** All non-overlapping matches of a custom entity type, preferred first. */
export const findCustomMatches = (entity: CustomEntityType, text: string): EntityMatch[] => {
  const tokens = tokenize(text);
  const candidates = entity.values
    .flatMap((entry) =>
      [entry.value, ...entry.synonyms].flatMap((phrase) => matchesOfPhrase(text, tokens, phrase, entry.id)),
    )
    .sort(byPreference);
  return keepNonOverlapping(candidates, (candidate) => candidate).map(withoutExact);
};
