// Finds IBANs however they are grouped or cased (NL91ABNA0417164300, nl91 abna 0417 1643 00) or spelled out.
import { passesIbanCheck } from './checksums.ts';
import { pauseBetween } from './digit-runs.ts';
import type { Finding } from './finding.ts';
import { numberWordValue, spelledLetter } from './spoken-numbers.ts';
import { spacesOrHyphenBetween, type Token, type TokenAvailability } from './tokens.ts';

interface CountryFormat {
  readonly length: number;
  /** The account part after country code and check digits, where its layout is fixed and well known. */
  readonly accountShape?: RegExp;
}

// Countries a Dutch or American customer service is likely to hear. Another country's IBAN is still found when its
// check digits are right (see isIban).
const COUNTRY_FORMATS: Readonly<Record<string, CountryFormat>> = {
  NL: { length: 18, accountShape: /^[A-Z]{4}\d{10}$/ },
  BE: { length: 16, accountShape: /^\d{12}$/ },
  DE: { length: 22, accountShape: /^\d{18}$/ },
  LU: { length: 20, accountShape: /^\d{3}[A-Z0-9]{13}$/ },
  FR: { length: 27, accountShape: /^\d{10}[A-Z0-9]{11}\d{2}$/ },
  GB: { length: 22, accountShape: /^[A-Z]{4}\d{14}$/ },
  IE: { length: 22, accountShape: /^[A-Z]{4}\d{14}$/ },
  ES: { length: 24, accountShape: /^\d{20}$/ },
  IT: { length: 27 },
  AT: { length: 20, accountShape: /^\d{16}$/ },
  CH: { length: 21 },
  PT: { length: 25, accountShape: /^\d{21}$/ },
  PL: { length: 28, accountShape: /^\d{24}$/ },
  DK: { length: 18, accountShape: /^\d{14}$/ },
  SE: { length: 24, accountShape: /^\d{20}$/ },
  NO: { length: 15, accountShape: /^\d{11}$/ },
  FI: { length: 18, accountShape: /^\d{14}$/ },
};
const MAX_IBAN_LENGTH = 34;
const MIN_IBAN_LENGTH = 15;

/**
 * An IBAN-shaped string is masked even when its check digits are wrong: a mistyped IBAN is still the caller's
 * bank account. Countries whose layout is not listed need correct check digits, so that product codes stay.
 */
function isIban(candidate: string): boolean {
  const format = COUNTRY_FORMATS[candidate.slice(0, 2)];
  if (!/^[A-Z]{2}\d{2}/.test(candidate)) return false;
  if (!format) {
    return (
      candidate.length >= MIN_IBAN_LENGTH && candidate.length <= MAX_IBAN_LENGTH && passesIbanCheck(candidate)
    );
  }
  if (candidate.length !== format.length) return false;
  return passesIbanCheck(candidate) || (format.accountShape?.test(candidate.slice(4)) ?? false);
}

const FORMATS_BY_COUNTRY: ReadonlyMap<string, CountryFormat> = new Map(Object.entries(COUNTRY_FORMATS));

/** A spoken "o" or "oh" inside the letters of a Dutch bank code ("r a b o") is the letter, not a zero. */
function withBankCodeLetters(candidate: string): string {
  if (!candidate.startsWith('NL')) return candidate;
  return `${candidate.slice(0, 4)}${candidate.slice(4, 8).replace(/0/g, 'O')}${candidate.slice(8)}`;
}

/** /^[a-z0-9]+$/ */
function isLowerAlphanumeric(word: string): boolean {
  if (word.length === 0) return false;
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    if (!((code >= 97 && code <= 122) || (code >= 48 && code <= 57))) return false;
  }
  return true;
}

/**
 * What each token adds to an IBAN: a spelled letter, a number word as digits, or its own letters and digits, all in
 * capitals. Worked out once per text (a text is tried from several tokens), and without an upper-case copy of a
 * word whose characters are a-z and 0-9: those are read as capitals one by one.
 */
class IbanParts {
  private readonly tokens: readonly Token[];
  private readonly texts: (string | undefined)[] = [];
  /** 0 not worked out yet, 1 the text is a-z and 0-9 that stand for their capitals, 2 the text is the part. */
  private readonly kinds: Uint8Array;

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
    this.kinds = new Uint8Array(tokens.length);
  }

  /** The part's text (see asCapitals), or undefined when the token cannot be part of an IBAN. */
  text(position: number): string | undefined {
    if (this.kinds[position] === 0) this.work(position);
    return this.texts[position];
  }

  /** Whether the a-z of the text stand for A-Z. */
  asCapitals(position: number): boolean {
    if (this.kinds[position] === 0) this.work(position);
    return this.kinds[position] === 1;
  }

  /** The part itself, in capitals. */
  part(position: number): string | undefined {
    const text = this.text(position);
    return text !== undefined && this.asCapitals(position) ? text.toUpperCase() : text;
  }

  private work(position: number): void {
    const token = this.tokens[position];
    this.kinds[position] = 2;
    if (!token) return;
    const word = token.word;
    // A single character, a number word, a spelled letter, or a word of a-z and 0-9; in capitals.
    if (word.length === 1) {
      this.keep(position, word, isLowerAlphanumeric(word));
      return;
    }
    const number = numberWordValue(word);
    if (number !== undefined) {
      this.texts[position] = String(number);
      return;
    }
    const letter = spelledLetter(token);
    if (letter !== undefined) {
      this.keep(position, letter, typeof letter === 'string' && isLowerAlphanumeric(letter));
      return;
    }
    if (isLowerAlphanumeric(word)) this.keep(position, word, true);
  }

  /** Keeps the text for the part: to be read as capitals when it is only a-z and 0-9, else upper-cased now. */
  private keep(position: number, text: string, asCapitals: boolean): void {
    this.texts[position] = asCapitals ? text : text.toUpperCase();
    this.kinds[position] = asCapitals ? 1 : 2;
  }
}

/** The capital of an a-z character code; other codes as they are. */
const capital = (code: number): number => (code >= 97 && code <= 122 ? code - 32 : code);

/** The IBAN that starts at token `index`, if one does: the index of its last token. */
function ibanEndingFrom(
  text: string,
  tokens: readonly Token[],
  index: number,
  available: TokenAvailability,
  parts: IbanParts,
): number | undefined {
  const first = tokens[index];
  if (!first) return undefined;
  const initial = first.word.charCodeAt(0);
  if (!(initial >= 97 && initial <= 122)) return undefined;
  let length = 0;
  // The mod-97 check is kept up to date character by character instead of being redone for every added token:
  // `head` holds the first four characters (two letters, two digits) as the check reads them, `remainder` the
  // rest, which is exact while the rest is only A-Z and 0-9 (`clean`); otherwise the full check decides.
  let head = 0;
  let remainder = 0;
  let clean = true;
  let country = '';
  let format: CountryFormat | undefined;
  // Read out with pauses ("n l eenennegentig, a b n a, nul vier een zeven, …"): see readOutWithPauses.
  let paused = false;
  for (let position = index; position < tokens.length && length < MAX_IBAN_LENGTH; position++) {
    const token = tokens[position];
    if (!token || !available(position)) return undefined;
    const part = parts.text(position);
    if (part === undefined) return undefined;
    if (position > index && !spacesOrHyphenBetween(text, tokens[position - 1], token)) {
      // Only after the country code and check digits ("nl, 91" is no way to say them), of a listed country.
      if (length < 4 || !format || !pauseBetween(text, tokens[position - 1], token)) return undefined;
      paused = true;
    }
    const asCapitals = parts.asCapitals(position);
    for (let offset = 0; offset < part.length; offset++) {
      const written = part.charCodeAt(offset);
      const code = asCapitals ? capital(written) : written;
      const at = length + offset;
      // "/^[A-Z]{2}/" once two characters are in, "/^[A-Z]{2}\d{2}/" once four are.
      if (at < 2) {
        if (code < 65 || code > 90) return undefined;
        head = head * 100 + (code - 55);
        country += String.fromCharCode(code);
        if (at === 1) format = FORMATS_BY_COUNTRY.get(country);
      } else if (at < 4) {
        if (code < 48 || code > 57) return undefined;
        head = head * 10 + (code - 48);
      } else if (!clean) {
        break;
      } else if (code >= 48 && code <= 57) {
        remainder = (remainder * 10 + (code - 48)) % 97;
      } else if (code >= 65 && code <= 90) {
        remainder = (remainder * 100 + (code - 55)) % 97;
      } else {
        clean = false;
      }
    }
    length += part.length;
    // A listed country's IBAN has one length: once past it, no longer candidate can be one.
    if (format && length > format.length) return undefined;
    if (length < MIN_IBAN_LENGTH) continue;
    // isIban(withBankCodeLetters(collected)), which a listed country can pass only at its own length.
    const isIbanNow = format
      ? length === format.length &&
        (paused
          ? readOutWithPauses(parts, index, position)
          : isIban(withBankCodeLetters(collected(parts, index, position))))
      : length <= MAX_IBAN_LENGTH &&
        (clean
          ? (remainder * 1_000_000 + head) % 97 === 1
          : passesIbanCheck(collected(parts, index, position)));
    if (isIbanNow) return position;
  }
  return undefined;
}

/**
 * Whether a listed country's IBAN read out with pauses is one. A list of numbers after "be" or "de" can have the
 * length and layout of an IBAN ("the prices will be 10, 20, 30, …"), so its check digits must be right; and words
 * are only letters ("a b n a"), the country code or the bank code ("nl", "abna"), so that "at 10, 11 or 12 o'clock" is not an Austrian one.
 */
function readOutWithPauses(parts: IbanParts, from: number, to: number): boolean {
  let length = 0;
  for (let position = from; position <= to; position++) {
    const part = parts.text(position) ?? '';
    const isWord = part.length > 1 && !/\d/.test(part);
    const countryOrBankCode = (length === 0 && part.length === 2) || (length === 4 && part.length === 4);
    if (isWord && !countryOrBankCode) return false;
    length += part.length;
  }
  return passesIbanCheck(withBankCodeLetters(collected(parts, from, to)));
}

/** The parts of tokens `from` to `to` (inclusive) joined: the candidate IBAN. */
function collected(parts: IbanParts, from: number, to: number): string {
  let candidate = '';
  for (let position = from; position <= to; position++) candidate += parts.part(position) ?? '';
  return candidate;
}

/**
 * Whether an IBAN could start at token `index`, by how many characters its part can have before the check digits
 * (the third and fourth characters) must come, and which tokens can give digits. A token that gives no digit adds
 * letters only: a word of a-z in capitals (as long as the word), a spelled letter (one), or a single character
 * (which may upper-case to more than one).
 */
function mayStartIban(tokens: readonly Token[], index: number, givesDigit: Uint8Array): boolean {
  const token = tokens[index];
  if (!token) return false;
  const length = token.word.length;
  // A number word of two or more letters adds its digits (not letters A-Z), so it cannot come first.
  if (length > 1 && numberWordValue(token.word) !== undefined) return false;
  if (givesDigit[index] === 1) return true;
  // Four or more letters, or three that are not a letter name ("bee"): the third character is a letter.
  if (length >= 4) return false;
  const letter = length === 1 ? undefined : spelledLetter(token);
  if (length === 3 && letter === undefined) return false;
  // Two letters that are not a letter name ("ef"): the next token must give the check digits.
  if (length === 2 && letter === undefined) return givesDigit[index + 1] === 1;
  return givesDigit[index + 1] === 1 || givesDigit[index + 2] === 1;
}

/**
 * Whether the token can put a digit into an IBAN: its word has a digit, or it is a number word. An IBAN's third
 * character is a digit, and every token adds at least one character, so an IBAN starts at most two tokens before
 * such a token: other starts need not be tried.
 */
function mayGiveDigit(token: Token): boolean {
  const word = token.word;
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    if (code >= 48 && code <= 57) return true;
  }
  return numberWordValue(word) !== undefined;
}

/**
 * `digitCredits`, when given, are the pre-check's digit credits of the tokens (see pre-check.ts): every token that
 * can give a digit has some, so they stand in for mayGiveDigit.
 */
export function findIbans(
  text: string,
  tokens: readonly Token[],
  available: TokenAvailability,
  digitCredits?: readonly number[],
): Finding[] {
  const findings: Finding[] = [];
  const givesDigit = new Uint8Array(tokens.length + 2);
  let anyDigit = false;
  for (let index = 0; index < tokens.length; index++) {
    const credit = digitCredits?.[index];
    if (credit === undefined ? mayGiveDigit(tokens[index] as Token) : credit > 0) {
      givesDigit[index] = 1;
      anyDigit = true;
    }
  }
  if (!anyDigit) return findings;
  let parts: IbanParts | undefined;
  let index = 0;
  while (index < tokens.length) {
    if (givesDigit[index] === 0 && givesDigit[index + 1] === 0 && givesDigit[index + 2] === 0) {
      index += 1;
      continue;
    }
    let end: number | undefined;
    if (mayStartIban(tokens, index, givesDigit)) {
      parts ??= new IbanParts(tokens);
      end = ibanEndingFrom(text, tokens, index, available, parts);
    }
    const first = tokens[index];
    const last = end === undefined ? undefined : tokens[end];
    if (first && last && end !== undefined) {
      findings.push({ kind: 'iban', start: first.start, end: last.end });
      index = end + 1;
    } else {
      index += 1;
    }
  }
  return findings;
}
