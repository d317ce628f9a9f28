// Finds phone numbers, BSNs and payment card numbers in digit runs, whether typed or read out digit by digit.
import { passesElevenProof, passesLuhn } from './checksums.ts';
import { contextBefore, type NumberContext } from './context.ts';
import { type DigitGroup, type DigitRun, readDigitRun } from './digit-runs.ts';
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
 * a shorter run that starts with the trunk 0.
 */
function wholeRunShape(digits: string, context: NumberContext): NumberKind | undefined {
  if (context === 'phone' && digits.length >= 7 && digits.length <= 15) return 'phone';
  // The start of a number the caller breaks off ("mijn nummer is 06 1234 …"): still part of their phone number.
  if (context === 'phone' && PARTIAL_DUTCH_PHONE.test(digits)) return 'phone';
  if (context !== 'other' && context !== 'phone' && passesElevenProof(digits)) return 'bsn';
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
    wholeRunShape(digitsBetween(groups, 0, count), context);
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
    const kind = wholeRunShape(digitsBetween(groups, from, to), context);
    if (kind) slices.push({ from, to, kind });
  }
  return slices.sort((a, b) => a.from - b.from);
}

function findingsInRun(run: DigitRun, tokens: readonly Token[], findings: Finding[]): void {
  const context = contextBefore(tokens, run.firstToken);
  for (const slice of classifyRun(run, context)) {
    const first = run.groups[slice.from];
    const last = run.groups[slice.to - 1];
    if (!first || !last) continue;
    findings.push({ kind: slice.kind, start: slice.from === 0 ? run.start : first.start, end: last.end });
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
    if (run) findingsInRun(run, tokens, findings);
    position = run ? run.next : position + 1;
  }
  return findings;
}
