// Digit-string entities: free digit strings, and order and customer numbers (5–10 digits, letter prefix allowed).

import { type DigitRun, findDigitRuns } from './numbers.ts';
import type { Lang, Token } from './text.ts';
import type { EntityMatch } from './types.ts';

const REFERENCE_MIN_DIGITS = 5;
const REFERENCE_MAX_DIGITS = 10;

const longestFirst = (matches: readonly EntityMatch[]): EntityMatch[] =>
  [...matches].sort((a, b) => b.value.length - a.value.length || a.start - b.start);

const runToMatch = (text: string, run: DigitRun, start = run.start): EntityMatch => ({
  value: run.digits,
  text: text.slice(start, run.end),
  start,
  end: run.end,
});

/** Every digit string in the text, the one with the most digits first. */
export const findDigitStrings = (text: string, tokens: readonly Token[], lang: Lang): EntityMatch[] =>
  longestFirst(findDigitRuns(text, tokens, lang).map((run) => runToMatch(text, run)));

// A short letter code written against the digits ("PL-123456", "ORD123456") is part of the reference for
// masking, but the value is only the digits.
const prefixStart = (text: string, tokens: readonly Token[], run: DigitRun): number => {
  const firstToken = tokens.findIndex((token) => token.start === run.start);
  const prefix = tokens[firstToken - 1];
  const attached = prefix && /^-?$/.test(text.slice(prefix.end, run.start));
  return attached && /^[A-Za-z]{1,4}$/.test(prefix.raw) ? prefix.start : run.start;
};

/** Order or customer numbers: digit strings of 5–10 digits, the longest first. */
export const findReferenceNumbers = (text: string, tokens: readonly Token[], lang: Lang): EntityMatch[] =>
  longestFirst(
    findDigitRuns(text, tokens, lang)
      .filter((run) => run.digits.length >= REFERENCE_MIN_DIGITS && run.digits.length <= REFERENCE_MAX_DIGITS)
      .map((run) => runToMatch(text, run, prefixStart(text, tokens, run))),
  );
