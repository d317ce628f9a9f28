// Joins digits written in groups ("06-12 34 56 78", "(020) 123 4567") or read out one by one into one run, and
// finds the run that follows a pause ("nul zes, twaalf, vierendertig"), which the number detector may join.
import { FILLER_WORDS, type NumberReading, readNumberAt } from './spoken-numbers.ts';
import { gapBetween, onlySpacesBetween, type Token, type TokenAvailability } from './tokens.ts';

export interface DigitGroup {
  readonly digits: string;
  readonly firstToken: number;
  /** Index of the first token after the group. */
  readonly next: number;
  readonly start: number;
  readonly end: number;
}

export interface DigitRun {
  readonly groups: readonly DigitGroup[];
  /** Written "+31" or said "plus eenendertig": the number is international. */
  readonly international: boolean;
  /** Where the run starts, including a leading "+", "(" or "plus". */
  readonly start: number;
  readonly firstToken: number;
  readonly next: number;
}

// What may sit between two groups of one number: spaces, a dash, brackets around an area code, or a dot or slash
// without spaces ("020.123.4567"). Commas and colons never do: "45,50" is an amount and "20:00" a time.
const GROUP_SEPARATOR = /^(?:[ \t]*(?:[-–]|\)[ \t]*[-–]?|\()?[ \t]*|[./])$/;
const PLUS_BEFORE = /\+[ \t]*$/;
const BRACKET_BEFORE = /\([ \t]*$/;

const joinsGroups = (gap: string): boolean => gap !== '' && GROUP_SEPARATOR.test(gap);

// A pause as speech recognisers write one between the groups a caller reads out: commas and ellipses with spaces
// ("nul zes, twaalf, …"). A comma without any space stays a decimal comma ("45,50") or a list in a log line.
const PAUSE = /^[ \t]*(?:,|\.{2,}|…)(?:[ \t]*(?:,|\.{2,}|…))*[ \t]*$/;
const isPause = (gap: string): boolean =>
  PAUSE.test(gap) && (!gap.includes(',') || gap.includes(' ') || gap.includes('\t'));
// Words said in a pause between two groups: "… zesenvijftig en achtenzeventig", "fifty six and seventy eight".
const PAUSE_WORDS = new Set(['en', 'and']);
// Enough for ", uh, en" between two groups; more words between numbers is talk, not a read-out.
const MOST_WORDS_IN_PAUSE = 3;

/** Whether the gap before a token is a pause (see PAUSE): for the IBAN detector, which joins its parts itself. */
export function pauseBetween(text: string, left: Token | undefined, right: Token | undefined): boolean {
  return left !== undefined && right !== undefined && isPause(gapBetween(text, left, right));
}

/** Whether text[from, to) holds only spaces and tabs (or nothing). */
function onlySpaces(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}

/** Index of the next number after `index`, skipping filler words; undefined when something else comes first. */
function nextNumberIndex(
  tokens: readonly Token[],
  index: number,
  text: string,
  available: TokenAvailability,
): number | undefined {
  const previous = tokens[index - 1];
  const current = tokens[index];
  if (!current || !available(index)) return undefined;
  // Spaces alone join groups; anything else goes to the full pattern.
  if (!onlySpacesBetween(text, previous, current) && !joinsGroups(gapBetween(text, previous, current))) {
    return undefined;
  }
  return FILLER_WORDS.has(current.word) ? nextNumberIndex(tokens, index + 1, text, available) : index;
}

function readGroups(
  tokens: readonly Token[],
  index: number,
  text: string,
  available: TokenAvailability,
  firstReading: NumberReading,
): DigitGroup[] {
  const groups: DigitGroup[] = [];
  let reading: NumberReading | undefined = firstReading;
  for (let position: number | undefined = index; position !== undefined; ) {
    const firstToken = tokens[position];
    const lastToken = reading ? tokens[reading.next - 1] : undefined;
    if (!reading || !firstToken || !lastToken) break;
    groups.push({
      digits: reading.digits,
      firstToken: position,
      next: reading.next,
      start: firstToken.start,
      end: lastToken.end,
    });
    position = nextNumberIndex(tokens, reading.next, text, available);
    reading = position === undefined ? undefined : readNumberAt(tokens, position, text, available);
  }
  return groups;
}

/** The run of digit groups starting at token `index`, or undefined when no number starts there. */
export function readDigitRun(
  tokens: readonly Token[],
  index: number,
  text: string,
  available: TokenAvailability,
): DigitRun | undefined {
  // Most tokens start no number: nothing more to read or allocate for them.
  const firstReading = readNumberAt(tokens, index, text, available);
  if (!firstReading) return undefined;
  const groups = readGroups(tokens, index, text, available, firstReading);
  const first = groups[0];
  const last = groups[groups.length - 1];
  if (!first || !last) return undefined;
  const previous = tokens[index - 1];
  const beforeStart = previous?.end ?? 0;
  // Only spaces (or nothing) before the run is the common case: no "+" or "(" to look for then.
  const spacesBefore = onlySpaces(text, beforeStart, first.start);
  const plusWord =
    previous?.word === 'plus' && available(index - 1) && spacesBefore && beforeStart < first.start;
  if (plusWord) {
    return { groups, international: true, start: previous.start, firstToken: index - 1, next: last.next };
  }
  const before = spacesBefore ? undefined : text.slice(beforeStart, first.start);
  const plusSign = before === undefined ? null : PLUS_BEFORE.exec(before);
  const bracket = before === undefined || plusSign ? null : BRACKET_BEFORE.exec(before);
  const start = plusSign
    ? first.start - plusSign[0].length
    : bracket
      ? first.start - bracket[0].length
      : first.start;
  return { groups, international: plusSign !== null, start, firstToken: index, next: last.next };
}

/**
 * The run that starts after a pause at token `index` (the first token after a run): a comma or ellipsis, or "en" or
 * "and", with at most a few filler words ("uh") around it. Undefined when something else comes first, or no pause.
 * The groups of the two runs are not joined here: whether they form one number is for the detector to decide.
 */
export function readRunAfterPause(
  tokens: readonly Token[],
  index: number,
  text: string,
  available: TokenAvailability,
): DigitRun | undefined {
  let paused = false;
  let words = 0;
  for (let position = index; position < tokens.length; position++) {
    const token = tokens[position] as Token;
    const previous = tokens[position - 1];
    if (!available(position)) return undefined;
    // Spaces are the common gap: the pause pattern only for the others.
    if (!onlySpacesBetween(text, previous, token)) {
      if (!pauseBetween(text, previous, token)) return undefined;
      paused = true;
    }
    const pauseWord = PAUSE_WORDS.has(token.word);
    if (pauseWord || FILLER_WORDS.has(token.word)) {
      words += 1;
      if (words > MOST_WORDS_IN_PAUSE) return undefined;
      paused ||= pauseWord;
      continue;
    }
    return paused ? readDigitRun(tokens, position, text, available) : undefined;
  }
  return undefined;
}

export const digitsOf = (groups: readonly DigitGroup[]): string =>
  groups.map((group) => group.digits).join('');
