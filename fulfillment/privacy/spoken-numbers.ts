// Reads numbers as callers say them ("nul zes", "vierendertig", "twenty-four", "double five") as digit strings.
import { spacesOrHyphenBetween, type Token, type TokenAvailability } from './tokens.ts';

export interface NumberReading {
  readonly digits: string;
  /** Index of the first token after the number. */
  readonly next: number;
}

const DUTCH_UNITS: Readonly<Record<string, number>> = {
  een: 1,
  twee: 2,
  drie: 3,
  vier: 4,
  vijf: 5,
  zes: 6,
  zeven: 7,
  acht: 8,
  negen: 9,
};
const DUTCH_TEENS: Readonly<Record<string, number>> = {
  tien: 10,
  elf: 11,
  twaalf: 12,
  dertien: 13,
  veertien: 14,
  vijftien: 15,
  zestien: 16,
  zeventien: 17,
  achttien: 18,
  negentien: 19,
};
const DUTCH_TENS: Readonly<Record<string, number>> = {
  twintig: 20,
  dertig: 30,
  veertig: 40,
  vijftig: 50,
  zestig: 60,
  zeventig: 70,
  tachtig: 80,
  negentig: 90,
};

const alternatives = (table: Readonly<Record<string, number>>) =>
  Object.keys(table)
    .sort((a, b) => b.length - a.length)
    .join('|');
const DUTCH_UNIT = alternatives(DUTCH_UNITS);
// Dutch writes 0-999 as one word: "vierendertig" is 4-and-30, "tweehonderdtwaalf" is 2-hundred-12.
const DUTCH_NUMBER_WORD = new RegExp(
  `^(?:(${DUTCH_UNIT})?(honderd))?(?:(${DUTCH_UNIT})en(${alternatives(DUTCH_TENS)})|(${alternatives(DUTCH_TEENS)})|(${alternatives(DUTCH_TENS)})|(${DUTCH_UNIT}))?$`,
);

const ENGLISH_UNITS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
};
const ENGLISH_TEENS: Readonly<Record<string, number>> = {
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const ENGLISH_TENS: Readonly<Record<string, number>> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
// "oh" and "o" are how English speakers say a zero inside a phone number.
const ZERO_WORDS = new Set(['nul', 'zero', 'oh', 'o']);
const HUNDRED_WORDS = new Set(['hundred', 'honderd']);
export const REPEAT_WORDS: Readonly<Record<string, number>> = {
  double: 2,
  dubbel: 2,
  triple: 3,
  tripel: 3,
  driedubbel: 3,
};

/** The value of a Dutch number word as the pattern reads it; numberWordValue looks the word up instead. */
function dutchNumberWordByPattern(word: string): number | undefined {
  const match = DUTCH_NUMBER_WORD.exec(word);
  if (!match || match[0] === '') return undefined;
  const [, hundredUnit, hundred, compoundUnit, compoundTens, teen, tens, unit] = match;
  const hundreds = hundred ? (hundredUnit ? (DUTCH_UNITS[hundredUnit] ?? 1) : 1) * 100 : 0;
  const below100 =
    compoundUnit && compoundTens
      ? (DUTCH_UNITS[compoundUnit] ?? 0) + (DUTCH_TENS[compoundTens] ?? 0)
      : teen
        ? (DUTCH_TEENS[teen] ?? 0)
        : tens
          ? (DUTCH_TENS[tens] ?? 0)
          : unit
            ? (DUTCH_UNITS[unit] ?? 0)
            : 0;
  return hundreds + below100;
}

/**
 * Every word DUTCH_NUMBER_WORD accepts, built from the same tables in the same layout: an optional "(unit)honderd"
 * followed by an optional "(unit)en(tens)", teen, tens or unit. The value of each comes from the pattern itself.
 */
export function dutchNumberWords(): string[] {
  const units = Object.keys(DUTCH_UNITS);
  const tens = Object.keys(DUTCH_TENS);
  const hundreds = ['', 'honderd', ...units.map((unit) => `${unit}honderd`)];
  const belowHundred = [
    '',
    ...units.flatMap((unit) => tens.map((ten) => `${unit}en${ten}`)),
    ...Object.keys(DUTCH_TEENS),
    ...tens,
    ...units,
  ];
  return hundreds.flatMap((hundred) => belowHundred.map((rest) => `${hundred}${rest}`)).filter(Boolean);
}

/** The value of a single spoken number word in Dutch or English by the tables and the pattern (slow, exact). */
export function numberWordValueByPattern(word: string): number | undefined {
  if (ZERO_WORDS.has(word)) return 0;
  return ENGLISH_UNITS[word] ?? ENGLISH_TEENS[word] ?? ENGLISH_TENS[word] ?? dutchNumberWordByPattern(word);
}

// The tables are plain objects, so a word such as "constructor" finds what Object.prototype holds. Those names
// get the same answers from the lookup maps below, so that every word reads exactly as it does in the tables.
export const INHERITED_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype);

/**
 * A Map with what `lookup` answers for each of `words` and for the names every plain object inherits, left out where
 * that answer is undefined: one Map lookup, where the tables take several (and a pattern for Dutch number words).
 */
function lookupMap<T>(words: readonly string[], lookup: (word: string) => T | undefined): Map<string, T> {
  const map = new Map<string, T>();
  for (const word of [...words, ...INHERITED_NAMES]) {
    const value = lookup(word);
    if (value !== undefined) map.set(word, value);
  }
  return map;
}

/** Every word numberWordValue gives a value for, with that value. */
export const NUMBER_WORD_VALUES: ReadonlyMap<string, number> = lookupMap(
  [
    ...ZERO_WORDS,
    ...Object.keys(ENGLISH_UNITS),
    ...Object.keys(ENGLISH_TEENS),
    ...Object.keys(ENGLISH_TENS),
    ...dutchNumberWords(),
  ],
  numberWordValueByPattern,
);

/** The value of a single spoken number word in Dutch or English, if it is one. */
export function numberWordValue(word: string): number | undefined {
  return NUMBER_WORD_VALUES.get(word);
}

const REPEAT_WORD_TIMES: ReadonlyMap<string, number> = lookupMap(
  Object.keys(REPEAT_WORDS),
  (word) => REPEAT_WORDS[word],
);

// ENGLISH_TENS, ENGLISH_UNITS and DUTCH_UNITS as lookup maps, for the words around a number word.
const ENGLISH_TENS_VALUES = lookupMap(Object.keys(ENGLISH_TENS), (word) => ENGLISH_TENS[word]);
const ENGLISH_UNIT_VALUES = lookupMap(Object.keys(ENGLISH_UNITS), (word) => ENGLISH_UNITS[word]);
const DUTCH_UNIT_VALUES = lookupMap(Object.keys(DUTCH_UNITS), (word) => DUTCH_UNITS[word]);

const isUnit = (word: string | undefined): boolean =>
  word !== undefined &&
  (ENGLISH_UNIT_VALUES.get(word) !== undefined || DUTCH_UNIT_VALUES.get(word) !== undefined);

/** Whether a string is one or more ASCII digits, as /^[0-9]+$/ tells. */
function isAsciiDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * Whether token `index + 1` is available and joined to token `index` the way "twenty four", "twenty-four" and
 * "eight hundred" are: by spaces, or a hyphen with or without spaces.
 */
function joinsFollowing(
  tokens: readonly Token[],
  index: number,
  text: string,
  available: TokenAvailability,
): boolean {
  const following = tokens[index + 1];
  return (
    following !== undefined && available(index + 1) && spacesOrHyphenBetween(text, tokens[index], following)
  );
}

/** Reads one number starting at token `index`: written digits, one number word, or a short spoken combination. */
export function readNumberAt(
  tokens: readonly Token[],
  index: number,
  text: string,
  available: TokenAvailability,
): NumberReading | undefined {
  const token = tokens[index];
  if (!token || !available(index)) return undefined;
  if (isAsciiDigits(token.text)) return { digits: token.text, next: index + 1 };

  const word = token.word;
  const repeat = REPEAT_WORD_TIMES.get(word);
  if (repeat !== undefined) {
    const repeated = joinsFollowing(tokens, index, text, available)
      ? readNumberAt(tokens, index + 1, text, available)
      : undefined;
    return repeated && repeated.digits.length === 1
      ? { digits: repeated.digits.repeat(repeat), next: repeated.next }
      : undefined;
  }

  const value = numberWordValue(word);
  if (value === undefined) return undefined;
  const following = tokens[index + 1];
  // Only "twenty four" and "eight hundred" read two words as one number: look at the gap only for those.
  if (following !== undefined) {
    const tens = ENGLISH_TENS_VALUES.get(word);
    const unit = tens === undefined ? undefined : ENGLISH_UNIT_VALUES.get(following.word);
    const combines =
      tens !== undefined ? unit !== undefined : isUnit(word) && HUNDRED_WORDS.has(following.word);
    if (combines && joinsFollowing(tokens, index, text, available)) {
      if (tens !== undefined && unit !== undefined) return { digits: String(tens + unit), next: index + 2 };
      return { digits: String(value * 100), next: index + 2 };
    }
  }
  return { digits: String(value), next: index + 1 };
}

// Letter names as a speech recogniser may write a spelled letter ("bee", "zet"). Words that are also ordinary
// words ("en", "ik", "ja") are left out on purpose: reading them as letters would invent postcodes.
const LETTER_NAMES: Readonly<Record<string, string>> = {
  bee: 'b',
  cee: 'c',
  see: 'c',
  dee: 'd',
  ef: 'f',
  gee: 'g',
  ha: 'h',
  jee: 'j',
  jay: 'j',
  ka: 'k',
  kay: 'k',
  el: 'l',
  em: 'm',
  pee: 'p',
  kuu: 'q',
  cue: 'q',
  er: 'r',
  es: 's',
  ess: 's',
  tee: 't',
  vee: 'v',
  wee: 'w',
  iks: 'x',
  ex: 'x',
  zet: 'z',
  zed: 'z',
};

const LETTER_NAME_LETTERS: ReadonlyMap<string, string> = lookupMap(
  Object.keys(LETTER_NAMES),
  (word) => LETTER_NAMES[word],
);

/** A single spelled letter: "a", "B", or a letter name such as "bee". */
export function spelledLetter(token: Token | undefined): string | undefined {
  if (!token) return undefined;
  const word = token.word;
  if (word.length === 1) {
    const code = word.charCodeAt(0);
    if (code >= 97 && code <= 122) return word;
  }
  return LETTER_NAME_LETTERS.get(word);
}

/** Words a caller says while reading digits out ("uh", "streepje") that do not end the number. */
export const FILLER_WORDS = new Set([
  'uh',
  'uhm',
  'um',
  'umm',
  'eh',
  'ehm',
  'euh',
  'ehh',
  'uhh',
  'hm',
  'hmm',
  'mm',
  'streepje',
  'dash',
  'hyphen',
]);
