// A cheap look at the words of a text that tells which detectors could possibly find something in it.
//
// Every finding but an e-mail address is made of digits: written ones, or number words read as digits. An IBAN
// needs at least two (its check digits), a postcode four, and every phone, BSN or card shape at least four. Each
// token can add at most a known number of digits to any one reading (its digit credit):
//   - the ASCII digits of its folded word (a written "0612", or a "²" that folds to "2"),
//   - the digits of its value when it is a number word ("twaalf" is 12: two),
//   - two more when it is a repeat word ("triple five" is 555: three digits from one number word).
// Word pairs read as one number ("twenty four", "eight hundred") never give more digits than their words apart, and
// groups joined over a pause ("nul zes, twaalf, …", "zesenvijftig en achtenzeventig") give only their own digits.
// The detectors read only tokens that are still available (not in a date, an amount or an earlier finding), so
// when the available tokens together have fewer than two digits no IBAN can be found, and with fewer than four no
// postcode or number. An e-mail address needs an "@" or a said "at" ("apenstaartje").
import { AT_WORDS } from './detect-email.ts';
import { INHERITED_NAMES, NUMBER_WORD_VALUES, REPEAT_WORDS } from './spoken-numbers.ts';
import type { Token } from './tokens.ts';

export const DIGITS_FOR_IBAN = 2;
export const DIGITS_FOR_NUMBERS = 4;

const REPEAT_EXTRA_DIGITS = Math.max(...Object.values(REPEAT_WORDS)) - 1;

/** What the pre-check knows of a word from the detectors' own tables. */
interface WordFacts {
  /** The most digits it can add besides its own ASCII digits. */
  readonly digits: number;
  /** Whether it is said for the "@" of an e-mail address. */
  readonly at: boolean;
}

/**
 * The words the detectors' tables name: number words, repeat words and "at" words. Names that Object.prototype
 * answers for in the detectors' plain-object tables ("constructor") are not reasoned about: they count as enough
 * digits for anything.
 */
const WORD_FACTS: ReadonlyMap<string, WordFacts> = (() => {
  const facts = new Map<string, WordFacts>();
  const add = (word: string, digits: number, at: boolean) => {
    const known = facts.get(word);
    facts.set(word, { digits: (known?.digits ?? 0) + digits, at: (known?.at ?? false) || at });
  };
  for (const [word, value] of NUMBER_WORD_VALUES) add(word, String(value).replace(/\D/g, '').length, false);
  for (const word of Object.keys(REPEAT_WORDS)) add(word, REPEAT_EXTRA_DIGITS, false);
  for (const word of INHERITED_NAMES) add(word, DIGITS_FOR_NUMBERS, false);
  for (const word of AT_WORDS) add(word, 0, true);
  return facts;
})();

function countAsciiDigits(word: string): number {
  let count = 0;
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    if (code >= 48 && code <= 57) count += 1;
  }
  return count;
}

export interface Survey {
  /** Whether an e-mail address could be in the text: it has an "@" or a word such as "at" or "apenstaartje". */
  readonly email: boolean;
  /** The digit credit of each token. */
  readonly credits: readonly number[];
  /** The sum of the credits. */
  readonly digits: number;
}

/** What the detectors need to know to skip the text, or some of them. */
export function survey(text: string, tokens: readonly Token[]): Survey {
  let email = text.includes('@');
  let digits = 0;
  const credits: number[] = [];
  for (const token of tokens) {
    const facts = WORD_FACTS.get(token.word);
    // The most digits this token can add to any reading of digits (see above).
    const credit = countAsciiDigits(token.word) + (facts?.digits ?? 0);
    if (facts?.at) email = true;
    credits.push(credit);
    digits += credit;
  }
  return { email, credits, digits };
}

/** Whether any detector could find personal data in the text: false means it certainly holds none. */
export function mayContainPersonalData(text: string, tokens: readonly Token[]): boolean {
  const { email, digits } = survey(text, tokens);
  return email || digits >= DIGITS_FOR_IBAN;
}
