// Finds phone numbers, BSNs and payment card numbers in digit runs, whether typed or read out digit by digit.
import { passesElevenProof, passesLuhn } from './checksums.ts';
import { contextBefore, type NumberContext } from './context.ts';
import { type DigitGroup, type DigitRun, digitsOf, readDigitRun } from './digit-runs.ts';
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

/** North-American numbers written in their usual groups: (555) 555-0123, 1-555-555-0123. */
function isGroupedNorthAmerican(groups: readonly DigitGroup[]): boolean {
  const lengths = groups.map((group) => group.digits.length).join(',');
  const digits = digitsOf(groups);
  if (lengths === '3,3,4') return /^[2-9]\d{2}[2-9]/.test(digits);
  if (lengths === '1,3,3,4') return /^1[2-9]\d{2}[2-9]/.test(digits);
  return false;
}

/** Shapes that are personal data wherever they appear, also inside a longer run of digits. */
function recognisedShape(
  groups: readonly DigitGroup[],
  international: boolean,
  context: NumberContext,
): NumberKind | undefined {
  const digits = digitsOf(groups);
  if (context === 'bsn' && (digits.length === 9 || digits.length === 8)) return 'bsn';
  if (international && INTERNATIONAL_AFTER_PLUS.test(digits)) return 'phone';
  if (INTERNATIONAL_AFTER_00.test(digits) || DUTCH_PHONE.test(digits)) return 'phone';
  if (isGroupedNorthAmerican(groups)) return 'phone';
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

/** The stretches of groups no slice covers, as [from, to) pairs. */
function uncovered(count: number, slices: readonly Slice[]): { from: number; to: number }[] {
  const boundaries = [...slices].sort((a, b) => a.from - b.from);
  const edges = [0, ...boundaries.flatMap((slice) => [slice.from, slice.to]), count];
  return Array.from({ length: edges.length / 2 }, (_, pair) => ({
    from: edges[pair * 2] ?? 0,
    to: edges[pair * 2 + 1] ?? 0,
  })).filter((stretch) => stretch.from < stretch.to);
}

/**
 * Classifies the groups of a run. A run may glue a phone number to a neighbouring number ("bel 0612345678 45123"),
 * so when the whole does not fit, recognised slices are taken longest first, and what they leave is tried whole.
 */
function classifyRun(run: DigitRun, context: NumberContext): Slice[] {
  const count = run.groups.length;
  const whole =
    recognisedShape(run.groups, run.international, context) ?? wholeRunShape(digitsOf(run.groups), context);
  if (whole) return [{ from: 0, to: count, kind: whole }];

  const taken = new Array<boolean>(count).fill(false);
  const recognised: Slice[] = [];
  for (const { from, to } of candidateSlices(run.groups)) {
    if (taken.slice(from, to).some(Boolean)) continue;
    const kind = recognisedShape(run.groups.slice(from, to), run.international && from === 0, context);
    if (!kind) continue;
    taken.fill(true, from, to);
    recognised.push({ from, to, kind });
  }
  const rest = uncovered(count, recognised).flatMap(({ from, to }) => {
    const kind = wholeRunShape(digitsOf(run.groups.slice(from, to)), context);
    return kind ? [{ from, to, kind }] : [];
  });
  return [...recognised, ...rest].sort((a, b) => a.from - b.from);
}

function findingsInRun(run: DigitRun, tokens: readonly Token[]): Finding[] {
  const context = contextBefore(tokens, run.firstToken);
  return classifyRun(run, context).flatMap((slice) => {
    const first = run.groups[slice.from];
    const last = run.groups[slice.to - 1];
    if (!first || !last) return [];
    return [{ kind: slice.kind, start: slice.from === 0 ? run.start : first.start, end: last.end }];
  });
}

/** The digit runs of the text in reading order; a run is read once, from its first number. */
function digitRuns(tokens: readonly Token[], text: string, available: TokenAvailability): DigitRun[] {
  const runs: DigitRun[] = [];
  let position = 0;
  while (position < tokens.length) {
    const run = readDigitRun(tokens, position, text, available);
    if (run) runs.push(run);
    position = run ? run.next : position + 1;
  }
  return runs;
}

export function findNumbers(text: string, tokens: readonly Token[], available: TokenAvailability): Finding[] {
  return digitRuns(tokens, text, available).flatMap((run) => findingsInRun(run, tokens));
}
