// Reads numbers as callers say them ("nul zes", "vierendertig", "twenty-four", "double five") as digit strings.
import { gapBetween, type Token, type TokenAvailability } from './tokens.ts';

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
const REPEAT_WORDS: Readonly<Record<string, number>> = {
  double: 2,
  dubbel: 2,
  triple: 3,
  tripel: 3,
  driedubbel: 3,
};

function dutchNumberWord(word: string): number | undefined {
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

/** The value of a single spoken number word in Dutch or English, if it is one. */
export function numberWordValue(word: string): number | undefined {
  if (ZERO_WORDS.has(word)) return 0;
  return ENGLISH_UNITS[word] ?? ENGLISH_TEENS[word] ?? ENGLISH_TENS[word] ?? dutchNumberWord(word);
}

const isUnit = (word: string | undefined): boolean =>
  word !== undefined && (ENGLISH_UNITS[word] !== undefined || DUTCH_UNITS[word] !== undefined);
const ASCII_DIGITS = /^[0-9]+$/;
// Between "twenty" and "four", or "eight" and "hundred": a space or the hyphen of "twenty-four".
const WORD_JOIN = /^(?:[ \t]+|[ \t]*-[ \t]*)$/;

/** Reads one number starting at token `index`: written digits, one number word, or a short spoken combination. */
export function readNumberAt(
  tokens: readonly Token[],
  index: number,
  text: string,
  available: TokenAvailability,
): NumberReading | undefined {
  const token = tokens[index];
  if (!token || !available(index)) return undefined;
  if (ASCII_DIGITS.test(token.text)) return { digits: token.text, next: index + 1 };

  const following = tokens[index + 1];
  const joinsFollowing =
    following !== undefined && available(index + 1) && WORD_JOIN.test(gapBetween(text, token, following));

  const repeat = REPEAT_WORDS[token.word];
  if (repeat !== undefined) {
    const repeated = joinsFollowing ? readNumberAt(tokens, index + 1, text, available) : undefined;
    return repeated && repeated.digits.length === 1
      ? { digits: repeated.digits.repeat(repeat), next: repeated.next }
      : undefined;
  }

  const value = numberWordValue(token.word);
  if (value === undefined) return undefined;
  if (joinsFollowing && following) {
    const tens = ENGLISH_TENS[token.word];
    const unit = ENGLISH_UNITS[following.word];
    if (tens !== undefined && unit !== undefined) return { digits: String(tens + unit), next: index + 2 };
    if (isUnit(token.word) && HUNDRED_WORDS.has(following.word)) {
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

/** A single spelled letter: "a", "B", or a letter name such as "bee". */
export function spelledLetter(token: Token | undefined): string | undefined {
  if (!token) return undefined;
  if (/^[a-z]$/.test(token.word)) return token.word;
  return LETTER_NAMES[token.word];
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
