// Finds phone numbers, BSNs and payment card numbers in digit runs, whether typed or read out digit by digit, also
// when read out in groups with pauses between them ("nul zes, twaalf, vierendertig, zesenvijftig, achtenzeventig").
import { passesElevenProof, passesLuhn } from './checksums.ts';
import { contextBefore, type NumberContext } from './context.ts';
import { type DigitGroup, type DigitRun, readDigitRun, readRunAfterPause } from './digit-runs.ts';
import type { Finding } from './finding.ts';
import type { Token, TokenAvailability } from './tokens.ts';

type NumberKind = 'phone' | 'bsn' | 'card';

// 06-mobile and landline numbers: ten digits with the trunk 0. Service numbers (0800/0900) are 8 to 11 digits.
const DUTCH_PHONE = /^0[1-9]\d{8}$|^0(?:800|900|906|909)\d{4,7}$/;
const PARTIAL_DUTCH_PHONE = /^0[1-9]\d{2,}$/;
const INTERNATIONAL_AFTER_PLUS = /^[1-9]\d{7,14}$/;
const INTERNATIONAL_AFTER_00 = /^00[1-9]\d{8,12}$/;
// Card numbers start with 2 (Mastercard), 3 (Amex), 4 (Visa), 5 or 6; this keeps epoch milliseconds ("17…") out.
const CARD_SHAPE = /^[2-6]\d{12,18}$/;
// A Dutch mobile number without its trunk 0, as callers say it after "plus eenendertig" or leave the 0 out.
const MOBILE_WITHOUT_TRUNK_ZERO = /^6\d{8}$/;
// A North-American number, with or without the leading 1 (area code and exchange start with 2-9).
const NORTH_AMERICAN = /^1?[2-9]\d{2}[2-9]\d{6}$/;
const YEAR = /^(?:19|20)\d{2}$/;

/** The digits of groups `from` to `to` (exclusive), joined. */
function digitsBetween(groups: readonly DigitGroup[], from: number, to: number): string {
  let digits = '';
  for (let index = from; index < to; index++) digits += groups[index]?.digits ?? '';
  return digits;
}

function totalDigits(groups: readonly DigitGroup[]): number {
  let total = 0;
  for (const group of groups) total += group.digits.length;
  return total;
}

/** North-American numbers written in their usual groups: (555) 555-0123, 1-555-555-0123. */
function isGroupedNorthAmerican(
  groups: readonly DigitGroup[],
  from: number,
  to: number,
  digits: string,
): boolean {
  if (to - from === 3 && hasLengths(groups, from, THREE_THREE_FOUR)) return /^[2-9]\d{2}[2-9]/.test(digits);
  if (to - from === 4 && hasLengths(groups, from, ONE_THREE_THREE_FOUR))
    return /^1[2-9]\d{2}[2-9]/.test(digits);
  return false;
}

const THREE_THREE_FOUR = [3, 3, 4];
const ONE_THREE_THREE_FOUR = [1, 3, 3, 4];

/** Whether the groups from `from` on have these digit counts. */
function hasLengths(groups: readonly DigitGroup[], from: number, lengths: readonly number[]): boolean {
  return lengths.every((length, offset) => groups[from + offset]?.digits.length === length);
}

// The shortest of the shapes below: an 8-digit BSN or 0800/0900 number, 8 digits after a "+".
const FEWEST_RECOGNISED_DIGITS = 8;

/** Shapes that are personal data wherever they appear, also inside a longer run of digits. */
function recognisedShape(
  groups: readonly DigitGroup[],
  from: number,
  to: number,
  international: boolean,
  context: NumberContext,
): NumberKind | undefined {
  const digits = digitsBetween(groups, from, to);
  if (digits.length < FEWEST_RECOGNISED_DIGITS) return undefined;
  if (context === 'bsn' && (digits.length === 9 || digits.length === 8)) return 'bsn';
  if (international && INTERNATIONAL_AFTER_PLUS.test(digits)) return 'phone';
  if (INTERNATIONAL_AFTER_00.test(digits) || DUTCH_PHONE.test(digits)) return 'phone';
  if (isGroupedNorthAmerican(groups, from, to, digits)) return 'phone';
  if (CARD_SHAPE.test(digits) && passesLuhn(digits)) return 'card';
  if (context === 'card' && digits.length >= 13 && digits.length <= 19) return 'card';
  return undefined;
}

/**
 * Shapes that only count for a whole run. Outside a BSN context a 9-digit number is taken for a BSN when it passes
 * the 11-proof; inside one the proof is not required, because a misheard or mistyped digit breaks the proof but
 * leaves the rest of the caller's BSN readable. After a phone cue any 7 to 15 digits are a phone number, and so is
 * a shorter run that starts with the trunk 0. A Dutch mobile number read in groups without its 0 is one too, unless
 * the words before it name a business number.
 */
function wholeRunShape(digits: string, groupCount: number, context: NumberContext): NumberKind | undefined {
  if (context === 'phone' && digits.length >= 7 && digits.length <= 15) return 'phone';
  // The start of a number the caller breaks off ("mijn nummer is 06 1234 …"): still part of their phone number.
  if (context === 'phone' && PARTIAL_DUTCH_PHONE.test(digits)) return 'phone';
  if (context === 'other') return undefined;
  // "zes twaalf vierendertig zesenvijftig achtenzeventig": read in groups, so no count, amount or id of nine digits.
  if (groupCount > 1 && MOBILE_WITHOUT_TRUNK_ZERO.test(digits)) return 'phone';
  if (context !== 'phone' && passesElevenProof(digits)) return 'bsn';
  return undefined;
}

interface Slice {
  readonly from: number;
  readonly to: number;
  readonly kind: NumberKind;
}

// No recognised shape is longer than a 19-digit card number, so longer slices need not be tried.
const LONGEST_SHAPE = 19;

/** The group slices of at most 19 digits, shorter than the whole run: longest first, then leftmost. */
function candidateSlices(groups: readonly DigitGroup[]): { from: number; to: number }[] {
  const slices: { from: number; to: number; length: number }[] = [];
  for (let from = 0; from < groups.length; from++) {
    let length = 0;
    for (let to = from + 1; to <= groups.length; to++) {
      length += groups[to - 1]?.digits.length ?? 0;
      if (length > LONGEST_SHAPE) break;
      if (to - from < groups.length) slices.push({ from, to, length });
    }
  }
  return slices.sort((a, b) => b.length - a.length || a.from - b.from);
}

/** The stretches of groups no slice covers, as [from, to) pairs; the slices do not overlap. */
function uncovered(count: number, slices: readonly Slice[]): { from: number; to: number }[] {
  const stretches: { from: number; to: number }[] = [];
  let cursor = 0;
  for (const slice of [...slices].sort((a, b) => a.from - b.from)) {
    if (cursor < slice.from) stretches.push({ from: cursor, to: slice.from });
    cursor = slice.to;
  }
  if (cursor < count) stretches.push({ from: cursor, to: count });
  return stretches;
}

/**
 * Classifies the groups of a run. A run may glue a phone number to a neighbouring number ("bel 0612345678 45123"),
 * so when the whole does not fit, recognised slices are taken longest first, and what they leave is tried whole.
 */
function classifyRun(run: DigitRun, context: NumberContext): Slice[] {
  const groups = run.groups;
  const count = groups.length;
  const whole =
    recognisedShape(groups, 0, count, run.international, context) ??
    wholeRunShape(digitsBetween(groups, 0, count), count, context);
  if (whole) return [{ from: 0, to: count, kind: whole }];
  // One group has no shorter slices, and tried whole it was just found to be nothing. Neither has a run too short
  // for any recognised shape: no slice of it is recognised, so all that is left is the whole run again.
  if (count === 1 || totalDigits(groups) < FEWEST_RECOGNISED_DIGITS) return [];

  const taken = new Uint8Array(count);
  const recognised: Slice[] = [];
  for (const { from, to } of candidateSlices(groups)) {
    if (taken.subarray(from, to).includes(1)) continue;
    const kind = recognisedShape(groups, from, to, run.international && from === 0, context);
    if (!kind) continue;
    taken.fill(1, from, to);
    recognised.push({ from, to, kind });
  }
  const slices = [...recognised];
  for (const { from, to } of uncovered(count, recognised)) {
    const kind = wholeRunShape(digitsBetween(groups, from, to), to - from, context);
    if (kind) slices.push({ from, to, kind });
  }
  return slices.sort((a, b) => a.from - b.from);
}

function findingsInRun(
  run: DigitRun,
  tokens: readonly Token[],
  findings: Finding[],
  context = contextBefore(tokens, run.firstToken),
): void {
  for (const slice of classifyRun(run, context)) {
    const first = run.groups[slice.from];
    const last = run.groups[slice.to - 1];
    if (!first || !last) continue;
    findings.push({ kind: slice.kind, start: slice.from === 0 ? run.start : first.start, end: last.end });
  }
}

// --- runs with pauses between them ---
//
// A caller reads a number out in groups and the recogniser writes the pauses as commas: "nul zes, twaalf,
// vierendertig, zesenvijftig, achtenzeventig". Each group is a run of its own (commas never join groups: "45,50" is
// an amount), and lists of numbers are written the same way ("op 5, 6 en 7 december"), so runs joined over a pause
// count only when their digits together pass a check that a list of numbers rarely passes by chance: a Dutch number
// with its trunk 0 (or a mobile one without it), an international prefix, Luhn, the 11-proof, or a North-American
// number read out in its 3-3-4 rhythm.

/** The groups of consecutive runs in one list, with the run each group comes from. */
interface PausedGroups {
  readonly runs: readonly DigitRun[];
  readonly groups: readonly DigitGroup[];
  /** The index of the run of each group. */
  readonly runOf: readonly number[];
  /** The index of the first group of each run, and the number of groups after the last. */
  readonly firstGroupOf: readonly number[];
}

function pausedGroups(runs: readonly DigitRun[]): PausedGroups {
  const groups: DigitGroup[] = [];
  const runOf: number[] = [];
  const firstGroupOf: number[] = [];
  runs.forEach((run, index) => {
    firstGroupOf.push(groups.length);
    for (const group of run.groups) {
      groups.push(group);
      runOf.push(index);
    }
  });
  firstGroupOf.push(groups.length);
  return { runs, groups, runOf, firstGroupOf };
}

/** The digits of each run's part of groups `from` to `to`: "drie nul zes, twaalf, vier" from "nul" gives 06, 12, 4. */
function piecesOf({ groups, runOf }: PausedGroups, from: number, to: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (let index = from; index < to; index++) {
    if (index > from && runOf[index] !== runOf[index - 1]) {
      pieces.push(piece);
      piece = '';
    }
    piece += groups[index]?.digits ?? '';
  }
  pieces.push(piece);
  return pieces;
}

/**
 * Whether the pieces are read as card numbers are: in groups of four to eight ("4111, 1111, …", "3782, 822463,
 * 10005"), the last one at least three, and not a list of years ("2018, 2019, 2020, 2021").
 */
function readLikeCard(pieces: readonly string[]): boolean {
  const last = pieces.length - 1;
  return (
    pieces.every(({ length }, index) => length <= 8 && length >= (index === last ? 3 : 4)) &&
    !pieces.every((piece) => YEAR.test(piece))
  );
}

/** Whether every group was said in words: "five five five" and not a list of written numbers ("300, 400, 5000"). */
function allSpoken(paused: PausedGroups, tokens: readonly Token[], from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    const group = paused.groups[index];
    const token = group ? tokens[group.firstToken] : undefined;
    if (!token || token.text === group?.digits) return false;
  }
  return true;
}

/**
 * The kind of a slice of groups that spans a pause, in `list`: the groups of runs between two that are personal
 * data by themselves (see findingsInPausedRuns). Shapes that start with a trunk 0, "00" or a plus may start and end
 * inside the list ("ik heb er drie, nul zes, twaalf, …": the "drie"
 * is not part of it). The others must take the whole list, so that only a list of exactly their length can pass
 * their check by chance ("100, 200, 300, 400 and 500" holds a 9-digit slice that passes the 11-proof); and an order
 * or customer number (context 'other') is no BSN or phone number by its digits alone.
 */
function pausedShape(
  paused: PausedGroups,
  tokens: readonly Token[],
  slice: { from: number; to: number },
  list: { from: number; to: number },
  context: NumberContext,
): NumberKind | undefined {
  const { groups, runOf, runs } = paused;
  const { from, to } = slice;
  const run = runs[runOf[from] ?? -1];
  const startsRun = run !== undefined && groups[from] === run.groups[0];
  const international = startsRun && run.international;
  const wholeList = from === list.from && to === list.to;
  const digits = digitsBetween(groups, from, to);
  if (digits.length < FEWEST_RECOGNISED_DIGITS) return undefined;
  if (international && INTERNATIONAL_AFTER_PLUS.test(digits)) return 'phone';
  if (INTERNATIONAL_AFTER_00.test(digits) || DUTCH_PHONE.test(digits)) return 'phone';
  if (!wholeList) return undefined;
  if (context === 'bsn' && (digits.length === 9 || digits.length === 8)) return 'bsn';
  if (context === 'card' && digits.length >= 13 && digits.length <= 19) return 'card';
  const pieces = piecesOf(paused, from, to);
  if (CARD_SHAPE.test(digits) && passesLuhn(digits) && readLikeCard(pieces)) return 'card';
  if (context === 'other') return undefined;
  if (MOBILE_WITHOUT_TRUNK_ZERO.test(digits)) return 'phone';
  // "five five five, eight six seven, five three oh nine": its 3-3-4 rhythm, said or after a phone cue.
  const rhythm = pieces.at(-1)?.length === 4 && pieces.at(-2)?.length === 3;
  if (rhythm && NORTH_AMERICAN.test(digits) && (context === 'phone' || allSpoken(paused, tokens, from, to))) {
    return 'phone';
  }
  if (passesElevenProof(digits)) return 'bsn';
  return undefined;
}

/**
 * The slices of groups `from` to `to` that span a pause and may have a kind (see pausedShape): the whole list, and
 * the parts of at most 19 digits that start with a 0 or a plus. Longest first, then leftmost.
 */
function pausedSlices(paused: PausedGroups, from: number, to: number): { from: number; to: number }[] {
  const { groups, runOf, runs } = paused;
  const slices: { from: number; to: number; length: number }[] = [
    { from, to, length: digitsBetween(groups, from, to).length },
  ];
  for (let start = from; start < to; start++) {
    const group = groups[start];
    const run = runs[runOf[start] ?? -1];
    const plus = run?.international === true && group === run.groups[0];
    if (!plus && group?.digits.charCodeAt(0) !== 48) continue;
    let length = 0;
    for (let end = start + 1; end <= to; end++) {
      length += groups[end - 1]?.digits.length ?? 0;
      if (length > LONGEST_SHAPE) break;
      const whole = start === from && end === to;
      if (!whole && runOf[start] !== runOf[end - 1]) slices.push({ from: start, to: end, length });
    }
  }
  return slices.sort((a, b) => b.length - a.length || a.from - b.from);
}

/** The context of run `index`, looked up the first time it is asked for and kept in `contexts`. */
function contextOfRun(
  runs: readonly DigitRun[],
  index: number,
  tokens: readonly Token[],
  contexts: (NumberContext | undefined)[],
): NumberContext {
  const known = contexts[index];
  if (known !== undefined) return known;
  const context = contextBefore(tokens, runs[index]?.firstToken ?? 0);
  contexts[index] = context;
  return context;
}

/** Whether the run, or a slice of it, has a shape that is personal data wherever it appears (see classifyRun). */
function holdsRecognisedShape(
  run: DigitRun,
  runs: readonly DigitRun[],
  index: number,
  tokens: readonly Token[],
  contexts: (NumberContext | undefined)[],
): boolean {
  const { groups } = run;
  // Most groups in a read-out are short: too short for any shape, whatever the words before them.
  if (totalDigits(groups) < FEWEST_RECOGNISED_DIGITS) return false;
  const context = contextOfRun(runs, index, tokens, contexts);
  if (recognisedShape(groups, 0, groups.length, run.international, context)) return true;
  if (groups.length === 1) return false;
  return candidateSlices(groups).some(
    ({ from, to }) =>
      recognisedShape(groups, from, to, run.international && from === 0, context) !== undefined,
  );
}

/** The part of a run from group `from` to `to` (exclusive), as a run of its own. */
function partOfRun(run: DigitRun, from: number, to: number): DigitRun | undefined {
  const first = run.groups[from];
  const last = run.groups[to - 1];
  if (!first || !last) return undefined;
  if (from === 0) return { ...run, groups: run.groups.slice(0, to), next: last.next };
  return {
    groups: run.groups.slice(from, to),
    international: false,
    start: first.start,
    firstToken: first.firstToken,
    next: last.next,
  };
}

/**
 * Runs with pauses between them. A run that holds personal data by its shape alone (a phone number, a card number)
 * keeps to itself; the others are joined where their digits pass a check (see pausedShape). What no
 * joined slice takes is read run by run, exactly as without the pauses.
 */
function findingsInPausedRuns(
  runs: readonly DigitRun[],
  tokens: readonly Token[],
  findings: Finding[],
): void {
  // Most lists are too short for any shape ("twee, drie of vier"): read run by run, as without the pauses.
  let digits = 0;
  for (const run of runs) digits += totalDigits(run.groups);
  if (digits < FEWEST_RECOGNISED_DIGITS) {
    for (const run of runs) findingsInRun(run, tokens, findings);
    return;
  }
  const paused = pausedGroups(runs);
  const { firstGroupOf } = paused;
  const count = paused.groups.length;
  // Looked up once per run, and only for the runs that need one (see contextOfRun).
  const contexts: (NumberContext | undefined)[] = [];
  const taken = new Uint8Array(count);
  const joined: Slice[] = [];
  let stretchStart = 0;
  for (let index = 0; index <= runs.length; index++) {
    const run = runs[index];
    if (run !== undefined && !holdsRecognisedShape(run, runs, index, tokens, contexts)) continue;
    // Runs stretchStart to index (exclusive) are nothing alone: look for slices across their pauses.
    if (index - stretchStart > 1) {
      const context = contextOfRun(runs, stretchStart, tokens, contexts);
      const from = firstGroupOf[stretchStart] ?? 0;
      const to = firstGroupOf[index] ?? count;
      for (const slice of pausedSlices(paused, from, to)) {
        const overlap = taken.indexOf(1, slice.from);
        if (overlap !== -1 && overlap < slice.to) continue;
        const kind = pausedShape(paused, tokens, slice, { from, to }, context);
        if (!kind) continue;
        taken.fill(1, slice.from, slice.to);
        joined.push({ ...slice, kind });
      }
    }
    stretchStart = index + 1;
  }
  if (joined.length === 0) {
    runs.forEach((run, index) => {
      findingsInRun(run, tokens, findings, contextOfRun(runs, index, tokens, contexts));
    });
    return;
  }
  // The joined slices, and between them the parts of runs they leave, in reading order.
  joined.sort((a, b) => a.from - b.from);
  let next = 0;
  for (let group = 0; group < count; ) {
    const runIndex = paused.runOf[group] ?? 0;
    const run = runs[runIndex] as DigitRun;
    const runStart = firstGroupOf[runIndex] ?? 0;
    const slice = joined[next];
    if (slice?.from === group) {
      const first = paused.groups[slice.from] as DigitGroup;
      const last = paused.groups[slice.to - 1] as DigitGroup;
      findings.push({ kind: slice.kind, start: group === runStart ? run.start : first.start, end: last.end });
      next += 1;
      group = slice.to;
      continue;
    }
    let end = group;
    while (end < count && taken[end] === 0 && paused.runOf[end] === runIndex) end += 1;
    const part = partOfRun(run, group - runStart, end - runStart);
    if (part) findingsInRun(part, tokens, findings, contextOfRun(runs, runIndex, tokens, contexts));
    group = end;
  }
}

/**
 * `digitCredits`, when given, are the pre-check's digit credits of the tokens (see pre-check.ts): a token without any
 * is no number, so no run starts there.
 */
export function findNumbers(
  text: string,
  tokens: readonly Token[],
  available: TokenAvailability,
  digitCredits?: readonly number[],
): Finding[] {
  // The digit runs of the text in reading order; a run is read once, from its first number.
  const findings: Finding[] = [];
  let position = 0;
  while (position < tokens.length) {
    if (digitCredits?.[position] === 0) {
      position += 1;
      continue;
    }
    const run = readDigitRun(tokens, position, text, available);
    if (!run) {
      position += 1;
      continue;
    }
    // Most runs have no pause after them: an array of runs is made only for those that have.
    let next = readRunAfterPause(tokens, run.next, text, available);
    if (!next) {
      findingsInRun(run, tokens, findings);
      position = run.next;
      continue;
    }
    const runs = [run];
    for (; next; next = readRunAfterPause(tokens, next.next, text, available)) runs.push(next);
    findingsInPausedRuns(runs, tokens, findings);
    position = (runs.at(-1) as DigitRun).next;
  }
  return findings;
}
