// Finds IBANs however they are grouped or cased (NL91ABNA0417164300, nl91 abna 0417 1643 00) or spelled out.
import { passesIbanCheck } from './checksums.ts';
import type { Finding } from './finding.ts';
import { numberWordValue, spelledLetter } from './spoken-numbers.ts';
import { gapBetween, type Token, type TokenAvailability } from './tokens.ts';

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
const ALPHANUMERIC = /^[a-z0-9]+$/;
const IBAN_JOIN = /^(?:[ \t]+|[ \t]*-[ \t]*)$/;

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

/** A spoken "o" or "oh" inside the letters of a Dutch bank code ("r a b o") is the letter, not a zero. */
function withBankCodeLetters(candidate: string): string {
  if (!candidate.startsWith('NL')) return candidate;
  return `${candidate.slice(0, 4)}${candidate.slice(4, 8).replace(/0/g, 'O')}${candidate.slice(8)}`;
}

/** What one token adds to an IBAN: a spelled letter, a number word as digits, or its own letters and digits. */
function ibanPart(token: Token): string | undefined {
  if (token.word.length === 1) return token.word.toUpperCase();
  const number = numberWordValue(token.word);
  if (number !== undefined) return String(number);
  const letter = spelledLetter(token);
  if (letter !== undefined) return letter.toUpperCase();
  return ALPHANUMERIC.test(token.word) ? token.word.toUpperCase() : undefined;
}

/** The IBAN that starts at token `index`, if one does: the index of its last token. */
function ibanEndingFrom(
  text: string,
  tokens: readonly Token[],
  index: number,
  available: TokenAvailability,
): number | undefined {
  const first = tokens[index];
  if (!first || !/^[a-z]/.test(first.word)) return undefined;
  let collected = '';
  for (let position = index; position < tokens.length && collected.length < MAX_IBAN_LENGTH; position++) {
    const token = tokens[position];
    if (!token || !available(position)) return undefined;
    if (position > index && !IBAN_JOIN.test(gapBetween(text, tokens[position - 1], token))) return undefined;
    const part = ibanPart(token);
    if (part === undefined) return undefined;
    collected += part;
    if (collected.length >= 2 && !/^[A-Z]{2}/.test(collected)) return undefined;
    if (collected.length >= 4 && !/^[A-Z]{2}\d{2}/.test(collected)) return undefined;
    if (collected.length >= MIN_IBAN_LENGTH && isIban(withBankCodeLetters(collected))) return position;
  }
  return undefined;
}

export function findIbans(text: string, tokens: readonly Token[], available: TokenAvailability): Finding[] {
  const findings: Finding[] = [];
  let index = 0;
  while (index < tokens.length) {
    const end = ibanEndingFrom(text, tokens, index, available);
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
