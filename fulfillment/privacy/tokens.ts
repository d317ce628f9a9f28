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
const WORD_CHARACTER_AT = /[\p{L}\p{N}\p{M}]/uy;
const COMBINING_MARKS = /\p{M}+/gu;

function foldWord(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
}

/** Whether an ASCII character code is a letter or a digit. */
const isAsciiWordCode = (code: number): boolean =>
  (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);

/**
 * How many code units the word character at `index` takes (1, or 2 for a surrogate pair), or 0 when the character
 * there is no letter, digit or combining mark. Only called for characters outside ASCII.
 */
function wordCharacterLength(text: string, index: number): number {
  WORD_CHARACTER_AT.lastIndex = index;
  if (!WORD_CHARACTER_AT.test(text)) return 0;
  return WORD_CHARACTER_AT.lastIndex - index;
}

/**
 * The maximal runs of letters, digits and combining marks (whole code points), as /[\p{L}\p{N}\p{M}]+/gu finds them.
 * ASCII is classified by character code; only other characters need the Unicode property test.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const length = text.length;
  let index = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    const step = code < 128 ? (isAsciiWordCode(code) ? 1 : 0) : wordCharacterLength(text, index);
    if (step === 0) {
      index += code >= 0xd800 && code <= 0xdbff && index + 1 < length ? surrogatePairStep(text, index) : 1;
      continue;
    }
    const start = index;
    let ascii = code < 128;
    let upper = code >= 65 && code <= 90;
    index += step;
    while (index < length) {
      const next = text.charCodeAt(index);
      if (next < 128) {
        if (!isAsciiWordCode(next)) break;
        if (next >= 65 && next <= 90) upper = true;
        index += 1;
      } else {
        const nextStep = wordCharacterLength(text, index);
        if (nextStep === 0) break;
        ascii = false;
        index += nextStep;
      }
    }
    const written = text.slice(start, index);
    // NFKD leaves ASCII as it is and ASCII has no combining marks: lower-casing is all the folding it needs, and
    // none at all without capitals.
    const word = ascii ? (upper ? written.toLowerCase() : written) : foldWord(written);
    tokens.push({ text: written, word, start, end: index });
  }
  return tokens;
}

/** A high surrogate followed by a low one is one (non-word) code point: skip both, as a /u pattern does. */
function surrogatePairStep(text: string, index: number): number {
  const low = text.charCodeAt(index + 1);
  return low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
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

/** Index of the first token that ends after `offset` (tokens are in text order and do not overlap). */
function firstTokenEndingAfter(tokens: readonly Token[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((tokens[middle]?.end ?? 0) > offset) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Sets the flag of every token that shares a character with `span`; an empty span covers no character. */
export function markTaken(tokens: readonly Token[], taken: Uint8Array, span: Span): void {
  if (span.start >= span.end) return;
  for (let index = firstTokenEndingAfter(tokens, span.start); index < tokens.length; index++) {
    const token = tokens[index];
    if (!token || token.start >= span.end) break;
    taken[index] = 1;
  }
}

/** /^[ \t]+$/.test(gapBetween(text, left, right)) without cutting the gap out of the text. */
export function onlySpacesBetween(text: string, left: Token | undefined, right: Token | undefined): boolean {
  if (!left || !right || left.end >= right.start) return false;
  for (let index = left.end; index < right.start; index++) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}

/**
 * /^(?:[ \t]+|[ \t]*-[ \t]*)$/.test(gapBetween(text, left, right)) without cutting the gap out: spaces, or one
 * hyphen with or without spaces around it.
 */
export function spacesOrHyphenBetween(
  text: string,
  left: Token | undefined,
  right: Token | undefined,
): boolean {
  if (!left || !right || left.end >= right.start) return false;
  let hyphens = 0;
  for (let index = left.end; index < right.start; index++) {
    const code = text.charCodeAt(index);
    if (code === 45) hyphens += 1;
    else if (code !== 32 && code !== 9) return false;
  }
  return hyphens <= 1;
}
