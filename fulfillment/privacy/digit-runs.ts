// Joins digits written in groups ("06-12 34 56 78", "(020) 123 4567") or read out one by one into one run.
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

export const digitsOf = (groups: readonly DigitGroup[]): string =>
  groups.map((group) => group.digits).join('');
