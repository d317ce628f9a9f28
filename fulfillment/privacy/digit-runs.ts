// Joins digits written in groups ("06-12 34 56 78", "(020) 123 4567") or read out one by one into one run.
import { FILLER_WORDS, readNumberAt } from './spoken-numbers.ts';
import { gapBetween, type Token, type TokenAvailability } from './tokens.ts';

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

/** Index of the next number after `index`, skipping filler words; undefined when something else comes first. */
function nextNumberIndex(
  tokens: readonly Token[],
  index: number,
  text: string,
  available: TokenAvailability,
): number | undefined {
  const previous = tokens[index - 1];
  const current = tokens[index];
  if (!current || !available(index) || !joinsGroups(gapBetween(text, previous, current))) return undefined;
  return FILLER_WORDS.has(current.word) ? nextNumberIndex(tokens, index + 1, text, available) : index;
}

function readGroups(
  tokens: readonly Token[],
  index: number,
  text: string,
  available: TokenAvailability,
): DigitGroup[] {
  const groups: DigitGroup[] = [];
  for (let position: number | undefined = index; position !== undefined; ) {
    const reading = readNumberAt(tokens, position, text, available);
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
  const groups = readGroups(tokens, index, text, available);
  const first = groups[0];
  const last = groups[groups.length - 1];
  if (!first || !last) return undefined;
  const before = text.slice(tokens[index - 1]?.end ?? 0, first.start);
  const plusWord = tokens[index - 1]?.word === 'plus' && available(index - 1) && /^[ \t]+$/.test(before);
  const plusSign = PLUS_BEFORE.exec(before);
  const bracket = BRACKET_BEFORE.exec(before);
  const start = plusWord
    ? (tokens[index - 1]?.start ?? first.start)
    : plusSign
      ? first.start - plusSign[0].length
      : bracket
        ? first.start - bracket[0].length
        : first.start;
  return {
    groups,
    international: plusWord || plusSign !== null,
    start,
    firstToken: plusWord ? index - 1 : index,
    next: last.next,
  };
}

export const digitsOf = (groups: readonly DigitGroup[]): string =>
  groups.map((group) => group.digits).join('');
