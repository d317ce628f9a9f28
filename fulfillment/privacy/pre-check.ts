// A cheap look at the words of a text that tells which detectors could possibly find something in it.
//
// Every finding but an e-mail address is made of digits: written ones, or number words read as digits. An IBAN
// needs at least two (its check digits), a postcode four, and every phone, BSN or card shape at least four. Each
// token can add at most a known number of digits to any one reading (its digit credit):
//   - the ASCII digits of its folded word (a written "0612", or a "²" that folds to "2"),
//   - the digits of its value when it is a number word ("twaalf" is 12: two),
//   - two more when it is a repeat word ("triple five" is 555: three digits from one number word).
// Word pairs read as one number ("twenty four", "eight hundred") never give more digits than their words apart.
// The detectors read only tokens that are still available (not in a date, an amount or an earlier finding), so
// when the available tokens together have fewer than two digits no IBAN can be found, and with fewer than four no
// postcode or number. An e-mail address needs an "@" or a said "at" ("apenstaartje").
import { AT_WORDS } from './detect-email.ts';
import { INHERITED_NAMES, NUMBER_WORD_VALUES, REPEAT_WORDS } from './spoken-numbers.ts';
import type { Token } from './tokens.ts';

export const DIGITS_FOR_IBAN = 2;
export const DIGITS_FOR_NUMBERS = 4;

const REPEAT_EXTRA_DIGITS = Math.max(...Object.values(REPEAT_WORDS)) - 1;

/**
 * The most digits each listed word can add besides its own ASCII digits, from the detectors' own tables. Names that
 * Object.prototype answers for in the detectors' plain-object tables ("constructor") are not reasoned about: they
 * count as enough digits for anything.
 */
const WORD_DIGITS: ReadonlyMap<string, number> = (() => {
  const credits = new Map<string, number>();
  const add = (word: string, digits: number) => credits.set(word, (credits.get(word) ?? 0) + digits);
  for (const [word, value] of NUMBER_WORD_VALUES) add(word, String(value).replace(/\D/g, '').length);
  for (const word of Object.keys(REPEAT_WORDS)) add(word, REPEAT_EXTRA_DIGITS);
  for (const word of INHERITED_NAMES) add(word, DIGITS_FOR_NUMBERS);
  return credits;
})();

/** The most digits one token can add to any reading of digits (see above). */
export function digitCredit(token: Token): number {
  const word = token.word;
  let credit = WORD_DIGITS.get(word) ?? 0;
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    if (code >= 48 && code <= 57) credit += 1;
  }
  return credit;
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
    if (!email && AT_WORDS.has(token.word)) email = true;
    const credit = digitCredit(token);
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
