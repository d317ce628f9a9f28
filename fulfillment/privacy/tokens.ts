// Word tokens with their offsets in the original text, so detectors match on words yet report exact spans.

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Token extends Span {
  /** The token exactly as written. */
  readonly text: string;
  /** Lower-cased with diacritics folded, so "Één" and "een" compare equal. */
  readonly word: string;
}

// Letters, digits and combining marks: a decomposed "é" must not split a word in two.
const WORD_CHARACTERS = /[\p{L}\p{N}\p{M}]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;

function foldWord(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
}

export function tokenize(text: string): Token[] {
  return [...text.matchAll(WORD_CHARACTERS)].map((match) => ({
    text: match[0],
    word: foldWord(match[0]),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/** The characters between two tokens (empty when either is missing). */
export function gapBetween(text: string, left: Token | undefined, right: Token | undefined): string {
  return left && right ? text.slice(left.end, right.start) : '';
}

export function spansOverlap(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Whether a token may still be used: not already part of a finding and not a date, time or amount. */
export type TokenAvailability = (index: number) => boolean;

export function availabilityAround(tokens: readonly Token[], taken: readonly Span[]): TokenAvailability {
  // One flag per character keeps this linear in the text, also for long log lines with many findings.
  const length = [...tokens, ...taken].reduce((longest, span) => Math.max(longest, span.end), 0);
  const covered = new Uint8Array(length);
  for (const span of taken) covered.fill(1, span.start, span.end);
  const available = tokens.map((token) => !covered.subarray(token.start, token.end).includes(1));
  return (index) => available[index] === true;
}

export const ONLY_SPACES = /^[ \t]+$/;
