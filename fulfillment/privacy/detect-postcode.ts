// Finds Dutch postcodes ("1234 AB", "twaalf vierendertig a b"), with the house number and street when they are there.
import { contextBefore } from './context.ts';
import { type DigitGroup, type DigitRun, digitsOf, readDigitRun } from './digit-runs.ts';
import type { Finding } from './finding.ts';
import { readNumberAt, spelledLetter } from './spoken-numbers.ts';
import { gapBetween, onlySpacesBetween, type Token, type TokenAvailability } from './tokens.ts';

const POSTCODE_IN_ONE_WORD = /^[1-9]\d{3}[a-z]{2}$/;
// PostNL never issues SA, SD and SS.
const UNISSUED_LETTER_PAIRS = new Set(['sa', 'sd', 'ss']);
// After a year, an amount or a duration these are words or units, not postcode letters ("in 2026 en", "1500 ms"),
// so they need more evidence (see convinces).
const TWO_LETTER_WORDS = new Set(
  (
    'en in op is om te of al nu na er ze je we me ik uw zo ja ga da de la le el et ' +
    'at on to or an as by he be go so no up us it if my am ok oh eh uh um hi ' +
    'pm tv km kg cm mm ml gb mb kb tb hd nl eu ad bc ms ns hz px pt kw mw wh dl cl mg gr pk cc'
  ).split(' '),
);
const HOUSE_NUMBER_CUES = new Set(['nummer', 'nr', 'no', 'huisnummer', 'number', 'num', 'huis', 'house']);
const BRIDGE_WORDS = new Set(['en', 'and', 'het', 'de', 'mijn', 'mn', 'my', 'the', 'is', 'dat', 'that']);
const MAX_BRIDGE_WORDS = 5;
const HOUSE_NUMBER = /^[1-9]\d{0,4}$/;
const HOUSE_NUMBER_WITH_ADDITION = /^[1-9]\d{0,4}[a-z]{1,2}$/;
const STREET_WORD =
  /(?:straat|laan|weg|plein|gracht|kade|dijk|singel|hof|park|steeg|pad|dreef|markt|baan|wal|haven|plantsoen|erf|street|road|avenue|lane|drive|boulevard)$|^(?:st|rd|ave)$/;
const BETWEEN_ADDRESS_PARTS = /^[ \t]*[,:]?[ \t]*#?[ \t]*$/;
const ADDITION_JOIN = /^[ \t]*[-/][ \t]*$/;
const SHORT_ADDITION = /^[a-z0-9]{1,4}$/;

interface Input {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly available: TokenAvailability;
}

interface Postcode {
  readonly firstToken: number;
  /** Index of the first token after the postcode letters. */
  readonly next: number;
  /** The run of digits the postcode digits end; it may start with a house number ("hoofdstraat 12 1234 AB"). */
  readonly leadingNumber?: DigitRun;
  /** How many groups of that run come before the four postcode digits. */
  readonly leadingGroups: number;
  readonly letters: string;
  /** The letters as written, to tell "1234 EN" (likely a postcode) from "1234 en" (likely "and"). */
  readonly lettersText: string;
  readonly spelled: boolean;
}

const joined = (input: Input, left: number, right: number) =>
  gapBetween(input.text, input.tokens[left], input.tokens[right]);

/** /^[a-z]{2}$/ */
function isTwoLetters(word: string): boolean {
  if (word.length !== 2) return false;
  const first = word.charCodeAt(0);
  const second = word.charCodeAt(1);
  return first >= 97 && first <= 122 && second >= 97 && second <= 122;
}

/** The postcode letters at token `index`: "AB", "ab" or spelled "a b"; the index after them. */
function lettersAt(input: Input, index: number): { letters: string; text: string; next: number } | undefined {
  const token = input.tokens[index];
  if (!token || !input.available(index)) return undefined;
  if (isTwoLetters(token.word)) return { letters: token.word, text: token.text, next: index + 1 };
  const first = spelledLetter(token);
  if (!first) return undefined;
  const second = input.available(index + 1) ? spelledLetter(input.tokens[index + 1]) : undefined;
  if (second && onlySpacesBetween(input.text, token, input.tokens[index + 1])) {
    return { letters: `${first}${second}`, text: `${first}${second}`, next: index + 2 };
  }
  return undefined;
}

/** Letters written as one ordinary word ("en", "MB") that need more evidence before they count. */
function lettersNeedEvidence(letters: string, spelled: boolean): boolean {
  return !spelled && TWO_LETTER_WORDS.has(letters);
}

/** The first group from which on the groups hold at most four digits together, or -1 when even the last has more. */
function fourDigitSuffixStart(groups: readonly DigitGroup[]): number {
  let total = 0;
  for (const group of groups) total += group.digits.length;
  for (let from = 0; from < groups.length; from++) {
    if (total <= 4) return from;
    total -= groups[from]?.digits.length ?? 0;
  }
  return -1;
}

/** The postcode at token `index`, if one starts there or a run of digits starting there ends in one. */
function postcodeAt(input: Input, index: number): Postcode | DigitRun | undefined {
  const token = input.tokens[index];
  if (!token || !input.available(index)) return undefined;
  if (token.word.length === 6 && POSTCODE_IN_ONE_WORD.test(token.word)) {
    const letters = token.word.slice(4);
    return {
      firstToken: index,
      next: index + 1,
      leadingGroups: 0,
      letters,
      lettersText: token.text.slice(4),
      spelled: false,
    };
  }
  const run = readDigitRun(input.tokens, index, input.text, input.available);
  if (!run) return undefined;
  const letters = onlySpacesBetween(input.text, input.tokens[run.next - 1], input.tokens[run.next])
    ? lettersAt(input, run.next)
    : undefined;
  if (!letters) return run;
  // The last groups of the run must make exactly four digits: "hoofdstraat 12 1234 AB" reads as one run.
  const suffixStart = fourDigitSuffixStart(run.groups);
  const suffix = run.groups.slice(suffixStart);
  const suffixFirst = suffix[0];
  if (suffixStart < 0 || !suffixFirst || !/^[1-9]\d{3}$/.test(digitsOf(suffix))) return run;
  return {
    firstToken: suffixFirst.firstToken,
    next: letters.next,
    leadingNumber: run,
    leadingGroups: suffixStart,
    letters: letters.letters,
    lettersText: letters.text,
    spelled: letters.next - run.next === 2,
  };
}

/** How many words link the postcode to its house number: "nummer", "huisnummer", "en het huisnummer is". */
function bridgeLength(input: Input, index: number): number {
  const end = Math.min(index + MAX_BRIDGE_WORDS, input.tokens.length);
  let length = 0;
  let cued = false;
  for (let position = index; position < end; position++) {
    const word = input.available(position) ? (input.tokens[position]?.word ?? '') : '';
    const cue = HOUSE_NUMBER_CUES.has(word);
    if (!cue && !BRIDGE_WORDS.has(word)) break;
    cued ||= cue;
    length += 1;
  }
  // Bridging words without a house-number cue ("1234 AB en 5 dagen") link nothing.
  return cued ? length : 0;
}

/** The index after a house number (with addition) that follows the postcode at `index`, if there is one. */
function houseNumberEnd(input: Input, index: number): number | undefined {
  const numberIndex = index + bridgeLength(input, index);
  for (let position = index; position <= numberIndex; position++) {
    if (!BETWEEN_ADDRESS_PARTS.test(joined(input, position - 1, position))) return undefined;
  }
  const token = input.tokens[numberIndex];
  if (!token || !input.available(numberIndex)) return undefined;
  if (HOUSE_NUMBER_WITH_ADDITION.test(token.word)) return numberIndex + 1;
  const reading = readNumberAt(input.tokens, numberIndex, input.text, input.available);
  if (!reading || !HOUSE_NUMBER.test(reading.digits)) return undefined;
  const addition = input.tokens[reading.next];
  const hasAddition =
    addition !== undefined &&
    input.available(reading.next) &&
    SHORT_ADDITION.test(addition.word) &&
    (ADDITION_JOIN.test(joined(input, reading.next - 1, reading.next)) ||
      (onlySpacesBetween(input.text, input.tokens[reading.next - 1], addition) &&
        /^[A-Z]$/.test(addition.text)));
  return hasAddition ? reading.next + 1 : reading.next;
}

const isStreetWord = (token: Token | undefined) => token !== undefined && STREET_WORD.test(token.word);

/** Where "Hoofdstraat 12" starts when it stands right before the postcode; undefined when it does not. */
function streetStart(input: Input, postcode: Postcode): number | undefined {
  const run = postcode.leadingNumber;
  if (run && postcode.leadingGroups > 0) {
    const houseNumber = digitsOf(run.groups.slice(0, postcode.leadingGroups));
    const street = input.tokens[run.firstToken - 1];
    const streetNamed =
      HOUSE_NUMBER.test(houseNumber) &&
      isStreetWord(street) &&
      onlySpacesBetween(input.text, street, input.tokens[run.firstToken]);
    return streetNamed ? street?.start : undefined;
  }
  const numberIndex = postcode.firstToken - 1;
  const houseNumber = input.tokens[numberIndex];
  const street = input.tokens[numberIndex - 1];
  const looksLikeHouseNumber =
    houseNumber !== undefined &&
    input.available(numberIndex) &&
    (HOUSE_NUMBER.test(houseNumber.word) || HOUSE_NUMBER_WITH_ADDITION.test(houseNumber.word));
  if (!looksLikeHouseNumber) return undefined;
  const laidOut =
    BETWEEN_ADDRESS_PARTS.test(joined(input, numberIndex, postcode.firstToken)) &&
    onlySpacesBetween(input.text, street, houseNumber);
  return laidOut && isStreetWord(street) ? street?.start : undefined;
}

// Device names that are followed by four digits and two letters, such as the FRITZ!Box 7590 AX.
const PRODUCT_WORDS = new Set(['modem', 'router', 'fritzbox', 'box', 'type', 'model', 'versie', 'version']);
const PRODUCT_DISTANCE = 3;

function namesAProduct(input: Input, index: number): boolean {
  const end = Math.min(index, input.tokens.length);
  for (let position = Math.max(0, index - PRODUCT_DISTANCE); position < end; position++) {
    if (PRODUCT_WORDS.has(input.tokens[position]?.word ?? '')) return true;
  }
  return false;
}

/**
 * Whether the evidence is enough. Letters that form an ordinary word count only when written in capitals and backed
 * by "postcode"/"adres" before or a house number after. A model number ("fritzbox 7590 AX") needs a house number.
 */
function convinces(input: Input, postcode: Postcode, hasHouseNumber: boolean): boolean {
  if (cannotConvince(postcode)) return false;
  if (lettersNeedEvidence(postcode.letters, postcode.spelled)) {
    return hasHouseNumber || contextBefore(input.tokens, postcode.firstToken) === 'postcode';
  }
  return hasHouseNumber || !namesAProduct(input, postcode.firstToken);
}

/** What convinces rules out whatever follows or precedes: unissued letters, or a word such as "en" in lower case. */
function cannotConvince(postcode: Postcode): boolean {
  if (UNISSUED_LETTER_PAIRS.has(postcode.letters)) return true;
  return (
    lettersNeedEvidence(postcode.letters, postcode.spelled) &&
    postcode.lettersText !== postcode.lettersText.toUpperCase()
  );
}

function toFinding(input: Input, postcode: Postcode): Finding | undefined {
  // The same test convinces starts with, before the house number and street are looked for.
  if (cannotConvince(postcode)) return undefined;
  const first = input.tokens[postcode.firstToken];
  const houseEnd = houseNumberEnd(input, postcode.next);
  const last = input.tokens[(houseEnd ?? postcode.next) - 1];
  const street = streetStart(input, postcode);
  if (!first || !last || !convinces(input, postcode, houseEnd !== undefined)) return undefined;
  const isAddress = houseEnd !== undefined || street !== undefined;
  return { kind: isAddress ? 'postcode-address' : 'postcode', start: street ?? first.start, end: last.end };
}

const isPostcode = (found: Postcode | DigitRun): found is Postcode => 'leadingGroups' in found;

/**
 * `digitCredits`, when given, are the pre-check's digit credits of the tokens (see pre-check.ts): a token without any
 * is no number and no postcode written as one word, so no postcode starts there.
 */
export function findPostcodes(
  text: string,
  tokens: readonly Token[],
  available: TokenAvailability,
  digitCredits?: readonly number[],
): Finding[] {
  const input: Input = { text, tokens, available };
  const findings: Finding[] = [];
  let index = 0;
  while (index < tokens.length) {
    if (digitCredits?.[index] === 0) {
      index += 1;
      continue;
    }
    const found = postcodeAt(input, index);
    const finding = found && isPostcode(found) ? toFinding(input, found) : undefined;
    if (finding) findings.push(finding);
    index = found ? Math.max(index + 1, found.next) : index + 1;
  }
  return findings;
}
