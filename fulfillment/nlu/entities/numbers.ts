// Spoken and written number parsing (Dutch and English) shared by every numeric entity type.
//
// Hand-written on purpose: no maintained JS library parses Dutch number words ("vijfenveertig",
// "tweeduizend vijfentwintig"), and the English word-to-number packages neither know transcript habits
// ("double four", "oh" for zero, digits read one by one) nor report the token offsets we need for masking.

import { FILLER_WORDS, gapBefore, type Lang, NUMBER_CUE_WORDS, type Token } from './text.ts';
import type { EntityMatch } from './types.ts';

const DUTCH_UNITS = new Map([
  ['nul', 0],
  ['een', 1],
  ['twee', 2],
  ['drie', 3],
  ['vier', 4],
  ['vijf', 5],
  ['zes', 6],
  ['zeven', 7],
  ['acht', 8],
  ['negen', 9],
]);
const DUTCH_TEENS = new Map([
  ['tien', 10],
  ['elf', 11],
  ['twaalf', 12],
  ['dertien', 13],
  ['veertien', 14],
  ['vijftien', 15],
  ['zestien', 16],
  ['zeventien', 17],
  ['achttien', 18],
  ['negentien', 19],
]);
const DUTCH_TENS = new Map([
  ['twintig', 20],
  ['dertig', 30],
  ['veertig', 40],
  ['vijftig', 50],
  ['zestig', 60],
  ['zeventig', 70],
  ['tachtig', 80],
  ['negentig', 90],
]);
const DUTCH_TENS_VALUES = new Set(DUTCH_TENS.values());
// Dutch puts the unit before the tens in one word: "vijfenveertig" = 5 + 40 ("drieëntwintig" loses its ë when normalised).
const DUTCH_UNIT_AND_TENS =
  /^(een|twee|drie|vier|vijf|zes|zeven|acht|negen)en(twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)$/;

const ENGLISH_WORDS = new Map([
  ['zero', 0],
  ['nought', 0],
  ['nil', 0],
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['eleven', 11],
  ['twelve', 12],
  ['thirteen', 13],
  ['fourteen', 14],
  ['fifteen', 15],
  ['sixteen', 16],
  ['seventeen', 17],
  ['eighteen', 18],
  ['nineteen', 19],
  ['twenty', 20],
  ['thirty', 30],
  ['forty', 40],
  ['fourty', 40],
  ['fifty', 50],
  ['sixty', 60],
  ['seventy', 70],
  ['eighty', 80],
  ['ninety', 90],
]);
// "oh" and "o" are zero when reading out digits, but also an interjection and a letter.
const ENGLISH_AMBIGUOUS_ZERO = new Set(['oh', 'o']);
// After these, English "one" is a pronoun ("the blue one", "that one"), not a number.
const ENGLISH_PRONOUN_ONE_PRECEDERS = new Set([
  'the',
  'this',
  'that',
  'which',
  'each',
  'every',
  'any',
  'another',
  'other',
  'no',
  'some',
  'same',
  'right',
  'wrong',
  'new',
  'old',
  'last',
  'next',
  'first',
  'only',
]);

const SCALES: Record<Lang, ReadonlyMap<string, number>> = {
  nl: new Map([
    ['honderd', 100],
    ['duizend', 1000],
    ['miljoen', 1_000_000],
  ]),
  en: new Map([
    ['hundred', 100],
    ['thousand', 1000],
    ['million', 1_000_000],
  ]),
};
const REPEATERS: Record<Lang, ReadonlyMap<string, number>> = {
  nl: new Map([
    ['dubbel', 2],
    ['dubbele', 2],
    ['driedubbel', 3],
    ['trippel', 3],
  ]),
  en: new Map([
    ['double', 2],
    ['triple', 3],
  ]),
};
const CONNECTOR: Record<Lang, string> = { nl: 'en', en: 'and' };
const THOUSANDS_SEPARATOR: Record<Lang, string> = { nl: '.', en: ',' };

const parseDutchBelow100 = (word: string): number | undefined => {
  const simple = DUTCH_UNITS.get(word) ?? DUTCH_TEENS.get(word) ?? DUTCH_TENS.get(word);
  if (simple !== undefined) return simple;
  const compound = DUTCH_UNIT_AND_TENS.exec(word);
  if (!compound) return undefined;
  return (DUTCH_UNITS.get(compound[1] ?? '') ?? 0) + (DUTCH_TENS.get(compound[2] ?? '') ?? 0);
};

// Splits a compound at a scale word: "tweehonderdvijftig" -> 2 * 100 + 50. An empty left part means 1
// ("honderdtwintig"), an optional "en" may join the right part ("honderdeneen").
const parseDutchScaled = (
  word: string,
  scaleWord: string,
  scale: number,
  parsePart: (part: string) => number | undefined,
): number | undefined => {
  const at = word.indexOf(scaleWord);
  if (at < 0) return undefined;
  const left = word.slice(0, at);
  const right = word.slice(at + scaleWord.length);
  const multiplier = left === '' ? 1 : parsePart(left);
  const rest =
    right === '' ? 0 : (parsePart(right) ?? (right.startsWith('en') ? parsePart(right.slice(2)) : undefined));
  if (multiplier === undefined || multiplier < 1 || rest === undefined) return undefined;
  return multiplier * scale + rest;
};

const parseDutchBelow1000 = (word: string): number | undefined =>
  parseDutchBelow100(word) ?? parseDutchScaled(word, 'honderd', 100, parseDutchBelow100);

/** A single Dutch number word, including compounds up to 999 999: "vijfenveertig", "tweeduizendvijfentwintig". */
export const parseDutchNumberWord = (word: string): number | undefined =>
  parseDutchBelow1000(word) ?? parseDutchScaled(word, 'duizend', 1000, parseDutchBelow1000);

/** A single cardinal number word in the given language (normalised form), or undefined. */
export const parseNumberWord = (word: string, lang: Lang): number | undefined =>
  lang === 'nl' ? parseDutchNumberWord(word) : (ENGLISH_WORDS.get(word) ?? SCALES.en.get(word));

const ENGLISH_IRREGULAR_ORDINALS = new Map([
  ['first', 1],
  ['second', 2],
  ['third', 3],
  ['fifth', 5],
  ['eighth', 8],
  ['ninth', 9],
  ['twelfth', 12],
]);

/** A single ordinal word: "eerste", "drieëntwintigste", "fourth", "twentieth". */
export const parseOrdinalWord = (word: string, lang: Lang): number | undefined => {
  if (lang === 'nl') {
    if (word === 'eerste') return 1;
    if (word === 'derde') return 3;
    if (word.endsWith('ste')) return parseDutchNumberWord(word.slice(0, -3));
    if (word.endsWith('de')) return parseDutchNumberWord(word.slice(0, -2));
    return undefined;
  }
  const irregular = ENGLISH_IRREGULAR_ORDINALS.get(word);
  if (irregular !== undefined) return irregular;
  if (word.endsWith('ieth')) return ENGLISH_WORDS.get(`${word.slice(0, -4)}y`);
  if (word.endsWith('th')) return ENGLISH_WORDS.get(word.slice(0, -2));
  return undefined;
};

const ORDINAL_SUFFIXES: Record<Lang, ReadonlySet<string>> = {
  nl: new Set(['e', 'ste', 'de']),
  en: new Set(['st', 'nd', 'rd', 'th']),
};

/**
 * Reads an ordinal starting at token `index`: "1e", "21st", "eerste", "twenty first", "twenty-first".
 * Returns its value and the last token it used.
 */
export const readOrdinal = (
  tokens: readonly Token[],
  index: number,
  lang: Lang,
  text: string,
): { value: number; lastToken: number } | undefined => {
  const token = tokens[index];
  if (!token) return undefined;
  const next = tokens[index + 1];
  if (token.isDigits) {
    const suffixAttached = next && next.start === token.end && ORDINAL_SUFFIXES[lang].has(next.norm);
    return suffixAttached ? { value: Number(token.raw), lastToken: index + 1 } : undefined;
  }
  const single = parseOrdinalWord(token.norm, lang);
  if (single !== undefined) return { value: single, lastToken: index };
  const tens = ENGLISH_WORDS.get(token.norm);
  if (lang === 'en' && tens !== undefined && tens >= 20 && tens % 10 === 0 && next) {
    const unit = parseOrdinalWord(next.norm, lang);
    const joined = /^[\s-]*$/.test(gapBefore(text, tokens, index + 1));
    if (unit !== undefined && unit < 10 && joined) return { value: tens + unit, lastToken: index + 1 };
  }
  return undefined;
};

type NumberToken =
  | { kind: 'value'; value: number; ambiguous: boolean; isDigitToken: boolean }
  | { kind: 'scale'; value: number }
  | { kind: 'connector' }
  | { kind: 'article' }
  | { kind: 'repeat'; times: number }
  | { kind: 'filler' };

const classifyToken = (tokens: readonly Token[], index: number, lang: Lang): NumberToken | undefined => {
  const token = tokens[index];
  if (!token) return undefined;
  if (token.isDigits)
    return { kind: 'value', value: Number(token.raw), ambiguous: false, isDigitToken: true };
  const word = token.norm;
  const scale = SCALES[lang].get(word);
  if (scale !== undefined) return { kind: 'scale', value: scale };
  const times = REPEATERS[lang].get(word);
  if (times !== undefined) return { kind: 'repeat', times };
  if (word === CONNECTOR[lang]) return { kind: 'connector' };
  if (FILLER_WORDS.has(word)) return { kind: 'filler' };
  if (lang === 'en') {
    if (word === 'a') return { kind: 'article' };
    if (ENGLISH_AMBIGUOUS_ZERO.has(word))
      return { kind: 'value', value: 0, ambiguous: true, isDigitToken: false };
    const value = ENGLISH_WORDS.get(word);
    if (value === undefined) return undefined;
    const previous = tokens[index - 1]?.norm ?? '';
    const ambiguous = word === 'one' && ENGLISH_PRONOUN_ONE_PRECEDERS.has(previous);
    return { kind: 'value', value, ambiguous, isDigitToken: false };
  }
  const value = parseDutchNumberWord(word);
  if (value === undefined) return undefined;
  // "een" is mostly the article "a"; written with accents ("één") it is unmistakably the number.
  return { kind: 'value', value, ambiguous: token.raw.toLowerCase() === 'een', isDigitToken: false };
};

const trailingZeros = (value: number): number => {
  let zeros = 0;
  for (let rest = value; rest > 0 && rest % 10 === 0; rest /= 10) zeros += 1;
  return zeros;
};

// Whether `addition` fills the empty low positions of `value`: "twenty" + "five", "honderd" + "twintig",
// "tweeduizend" + "vijfentwintig". "twelve thirty four" stays two numbers (a postcode, a time, digits).
const joinsAdditively = (value: number, addition: number, lang: Lang): boolean => {
  if (value === 0 || addition === 0) return false;
  if (addition >= 10 ** trailingZeros(value)) return false;
  // Dutch never says the tens before the unit ("twintig vijf" is 20, 5, e.g. "020 5..." read in pairs).
  return !(lang === 'nl' && addition < 10 && value % 100 !== 0);
};

// "twee honderd", "twenty one hundred", "vijfenveertig duizend", "twee miljoen".
const applyScale = (value: number, scale: number): number | undefined => {
  const groupSize = scale === 100 ? 1000 : scale === 1000 ? 1_000_000 : Number.POSITIVE_INFINITY;
  const limit = scale === 100 ? 99 : 999;
  const group = value % groupSize;
  if (group < 1 || group > limit) return undefined;
  return value - group + group * scale;
};

export interface NumberPhrase {
  value: number;
  /** As read out: one written digit token keeps its leading zeros ("06"); words give the decimal value. */
  digits: string;
  firstToken: number;
  lastToken: number;
  start: number;
  end: number;
  /** Every word could also be a non-number ("een" as the article, "oh" as an interjection). */
  ambiguous: boolean;
}

const WORD_GAP = /^[ \t]*-?[ \t]*$|^\s+$/;

const readPhrase = (
  text: string,
  tokens: readonly Token[],
  classes: readonly (NumberToken | undefined)[],
  index: number,
  lang: Lang,
): NumberPhrase | undefined => {
  const first = classes[index];
  const firstToken = tokens[index];
  if (!first || !firstToken) return undefined;
  const gapOk = (at: number) => WORD_GAP.test(gapBefore(text, tokens, at));
  const following = classes[index + 1];
  let value: number;
  let last = index;
  let ambiguous = false;
  let digitsOnly = false;
  if (first.kind === 'value') {
    value = first.value;
    ambiguous = first.ambiguous;
    digitsOnly = first.isDigitToken;
  } else if (first.kind === 'scale') {
    value = first.value;
  } else if (first.kind === 'article' && following?.kind === 'scale' && gapOk(index + 1)) {
    value = following.value;
    last = index + 1;
  } else {
    return undefined;
  }
  // Written thousands separators: "45.000" in Dutch, "45,000" in English.
  if (digitsOnly && firstToken.raw.length <= 3 && !firstToken.raw.startsWith('0')) {
    while (
      tokens[last + 1]?.isDigits &&
      tokens[last + 1]?.raw.length === 3 &&
      gapBefore(text, tokens, last + 1) === THOUSANDS_SEPARATOR[lang]
    ) {
      last += 1;
      value = value * 1000 + Number(tokens[last]?.raw);
    }
  }
  // A written digit group ("45") is complete: only a scale word may follow ("45 duizend").
  let closedToAddition = digitsOnly;
  // The value of the last single word taken in, for "twee duizend vijf en twintig" (a split "vijfentwintig").
  let lastWordValue = first.kind === 'value' && !digitsOnly ? first.value : -1;
  for (let next = last + 1; next < tokens.length; next = last + 1) {
    const current = classes[next];
    if (!current || !gapOk(next)) break;
    if (current.kind === 'scale') {
      const scaled = applyScale(value, current.value);
      if (scaled === undefined) break;
      value = scaled;
      last = next;
      ambiguous = false;
      closedToAddition = false;
      lastWordValue = -1;
      continue;
    }
    if (current.kind === 'connector') {
      const after = classes[next + 1];
      if (after?.kind !== 'value' || after.isDigitToken || closedToAddition || !gapOk(next + 1)) break;
      // "vijf en twintig" (a split "vijfentwintig"), "honderd en twintig", "one hundred and five".
      const dutchUnitAndTens =
        lang === 'nl' && lastWordValue >= 1 && lastWordValue <= 9 && DUTCH_TENS_VALUES.has(after.value);
      const afterRoundScale = value >= 100 && value % 100 === 0 && after.value < 100 && after.value > 0;
      if (!dutchUnitAndTens && !afterRoundScale) break;
      value += after.value;
      last = next + 1;
      ambiguous = false;
      lastWordValue = -1;
      continue;
    }
    if (current.kind === 'value' && !current.isDigitToken && !closedToAddition) {
      if (!joinsAdditively(value, current.value, lang)) break;
      value += current.value;
      last = next;
      ambiguous = ambiguous && current.ambiguous;
      lastWordValue = current.value;
      continue;
    }
    break;
  }
  const lastToken = tokens[last] ?? firstToken;
  return {
    value,
    digits: digitsOnly && last === index ? firstToken.raw : String(value),
    firstToken: index,
    lastToken: last,
    start: firstToken.start,
    end: lastToken.end,
    ambiguous,
  };
};

// The number, digit and date extractors of a turn all read the same text's number phrases and digit runs:
// they are kept with the (cached, frozen) token array they were read from, per language. They are shared,
// so callers must treat them as read-only (their types say so).
interface ReadingsOfText {
  text: string;
  classes?: readonly (NumberToken | undefined)[];
  phrases?: readonly NumberPhrase[];
  runs?: readonly DigitRun[];
}
const readingsByTokens: Record<Lang, WeakMap<readonly Token[], ReadingsOfText>> = {
  nl: new WeakMap(),
  en: new WeakMap(),
};

const readingsOf = (text: string, tokens: readonly Token[], lang: Lang): ReadingsOfText => {
  const cached = readingsByTokens[lang].get(tokens);
  if (cached?.text === text) return cached;
  const readings: ReadingsOfText = { text };
  // Only frozen arrays (from tokenize) cannot change under the cache.
  if (Object.isFrozen(tokens)) readingsByTokens[lang].set(tokens, readings);
  return readings;
};

const classifyAll = (text: string, tokens: readonly Token[], lang: Lang) => {
  const readings = readingsOf(text, tokens, lang);
  readings.classes ??= tokens.map((_, index) => classifyToken(tokens, index, lang));
  return readings.classes;
};

/** All number phrases in reading order; adjacent ones that do not combine ("twelve thirty four") stay separate. */
export const findNumberPhrases = (
  text: string,
  tokens: readonly Token[],
  lang: Lang,
): readonly NumberPhrase[] => {
  const readings = readingsOf(text, tokens, lang);
  readings.phrases ??= readNumberPhrases(text, tokens, lang);
  return readings.phrases;
};

const readNumberPhrases = (text: string, tokens: readonly Token[], lang: Lang): NumberPhrase[] => {
  const classes = classifyAll(text, tokens, lang);
  const phrases: NumberPhrase[] = [];
  for (let index = 0; index < tokens.length; ) {
    const phrase = readPhrase(text, tokens, classes, index, lang);
    if (phrase) phrases.push(phrase);
    index = phrase ? phrase.lastToken + 1 : index + 1;
  }
  return phrases;
};

/** An ambiguous phrase ("een") counts as a number after a cue ("nummer een") or when it is all that was said. */
export const isNumberInContext = (phrase: NumberPhrase, tokens: readonly Token[]): boolean => {
  if (!phrase.ambiguous) return true;
  if (NUMBER_CUE_WORDS.has(tokens[phrase.firstToken - 1]?.norm ?? '')) return true;
  // Alone, "oh" is an interjection rather than zero.
  const saidAlone = tokens.every(
    (token, index) =>
      (index >= phrase.firstToken && index <= phrase.lastToken) || FILLER_WORDS.has(token.norm),
  );
  return saidAlone && phrase.value !== 0;
};

const isCuedOrAlone = (tokens: readonly Token[], pieces: readonly DigitPiece[]): boolean => {
  const first = pieces[0];
  const last = pieces.at(-1);
  if (!first || !last) return false;
  return isNumberInContext(
    {
      value: Number(pieces.map((piece) => piece.digits).join('')),
      digits: '',
      firstToken: first.firstToken,
      lastToken: last.lastToken,
      start: 0,
      end: 0,
      ambiguous: true,
    },
    tokens,
  );
};

/** Every number phrase that is a number in its context, as entity matches with the decimal value. */
export const findNumbers = (text: string, tokens: readonly Token[], lang: Lang): EntityMatch[] =>
  findNumberPhrases(text, tokens, lang)
    .filter((phrase) => isNumberInContext(phrase, tokens))
    .map((phrase) => ({
      value: String(phrase.value),
      text: text.slice(phrase.start, phrase.end),
      start: phrase.start,
      end: phrase.end,
    }));

export interface DigitPiece {
  digits: string;
  firstToken: number;
  lastToken: number;
  ambiguous: boolean;
  isDigitToken: boolean;
}

export interface DigitRun {
  digits: string;
  pieces: DigitPiece[];
  start: number;
  end: number;
}

// Between the groups of a read-out or written digit string: spaces, dashes, dots, commas, slashes, brackets.
const DIGIT_RUN_GAP = /^[\s\-.,/()]*$/;

const toRun = (tokens: readonly Token[], pieces: DigitPiece[]): DigitRun | undefined => {
  const firstPiece = pieces[0];
  const lastPiece = pieces[pieces.length - 1];
  if (!firstPiece || !lastPiece) return undefined;
  return {
    digits: pieces.map((piece) => piece.digits).join(''),
    pieces,
    start: tokens[firstPiece.firstToken]?.start ?? 0,
    end: tokens[lastPiece.lastToken]?.end ?? 0,
  };
};

// An ambiguous word at the edge of written digits is the article, not a digit: "een 06 nummer", "12345 o".
const trimAmbiguousEdges = (pieces: DigitPiece[]): DigitPiece[] => {
  let trimmed = pieces;
  while (trimmed.length > 1 && trimmed[0]?.ambiguous && trimmed[1]?.isDigitToken) trimmed = trimmed.slice(1);
  while (trimmed.length > 1 && trimmed.at(-1)?.ambiguous && trimmed.at(-2)?.isDigitToken) {
    trimmed = trimmed.slice(0, -1);
  }
  return trimmed;
};

/**
 * Digit strings read out one by one or in groups: "4 5 1 2 3", "vier vijf een twee drie", "forty five one two
 * three", "45 123", "dubbel vier" -> "44". A run made only of ambiguous words ("een", "oh") is not a run.
 */
export const findDigitRuns = (text: string, tokens: readonly Token[], lang: Lang): readonly DigitRun[] => {
  const readings = readingsOf(text, tokens, lang);
  readings.runs ??= readDigitRuns(text, tokens, lang);
  return readings.runs;
};

const readDigitRuns = (text: string, tokens: readonly Token[], lang: Lang): DigitRun[] => {
  const classes = classifyAll(text, tokens, lang);
  const phraseAt = new Map(
    findNumberPhrases(text, tokens, lang).map((phrase) => [phrase.firstToken, phrase]),
  );
  const runs: DigitRun[] = [];
  for (let index = 0; index < tokens.length; ) {
    const pieces: DigitPiece[] = [];
    let next = index;
    while (next < tokens.length) {
      if (pieces.length > 0 && !DIGIT_RUN_GAP.test(gapBefore(text, tokens, next))) break;
      const current = classes[next];
      if (current?.kind === 'filler' && pieces.length > 0) {
        next += 1;
        continue;
      }
      if (current?.kind === 'repeat') {
        const repeated = phraseAt.get(next + 1);
        if (!repeated || repeated.lastToken !== next + 1 || repeated.digits.length !== 1) break;
        pieces.push({
          digits: repeated.digits.repeat(current.times),
          firstToken: next,
          lastToken: next + 1,
          ambiguous: false,
          isDigitToken: false,
        });
        next += 2;
        continue;
      }
      const phrase = phraseAt.get(next);
      if (!phrase) break;
      pieces.push({
        digits: phrase.digits,
        firstToken: phrase.firstToken,
        lastToken: phrase.lastToken,
        ambiguous: phrase.ambiguous,
        isDigitToken: phrase.firstToken === phrase.lastToken && Boolean(tokens[phrase.firstToken]?.isDigits),
      });
      next = phrase.lastToken + 1;
    }
    const trimmed = trimAmbiguousEdges(pieces);
    const run =
      trimmed.some((piece) => !piece.ambiguous) || isCuedOrAlone(tokens, trimmed)
        ? toRun(tokens, trimmed)
        : undefined;
    if (run) runs.push(run);
    index = pieces.length > 0 ? (pieces.at(-1)?.lastToken ?? index) + 1 : index + 1;
  }
  return runs;
};
