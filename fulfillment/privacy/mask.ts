// Masks personal data (phone, e-mail, IBAN, BSN, card, postcode/address) in transcripts, handoff packages and logs.
import { findSpokenEmails, findTypedEmails } from './detect-email.ts';
import { findIbans } from './detect-iban.ts';
import { findNumbers } from './detect-numbers.ts';
import { findPostcodes } from './detect-postcode.ts';
import type { Finding, PiiKind } from './finding.ts';
import { DIGITS_FOR_IBAN, DIGITS_FOR_NUMBERS, type Survey, survey } from './pre-check.ts';
import { findProtectedSpans } from './protected-spans.ts';
import { markTaken, spansOverlap, type Token, type TokenAvailability, tokenize } from './tokens.ts';

export type { Finding, PiiKind } from './finding.ts';

/** `digitCredits`: the pre-check's digit credit of each token, when there was a pre-check (see pre-check.ts). */
type Detector = (
  text: string,
  tokens: readonly Token[],
  available: TokenAvailability,
  digitCredits: readonly number[] | undefined,
) => Finding[];

interface DetectorNeeds {
  readonly detect: Detector;
  /** Whether it looks for e-mail addresses, which need an "@" or a said "at". */
  readonly email: boolean;
  /** The fewest digits its findings hold (see pre-check.ts): with fewer on the available tokens it is skipped. */
  readonly digits: number;
}

// Most specific first: an e-mail or IBAN contains digits the number detectors would otherwise take, and a postcode
// run ("hoofdstraat 12 1234 AB") must be claimed before phone numbers are looked for in what is left.
const DETECTORS: readonly DetectorNeeds[] = [
  { detect: (text) => findTypedEmails(text), email: true, digits: 0 },
  { detect: findSpokenEmails, email: true, digits: 0 },
  { detect: findIbans, email: false, digits: DIGITS_FOR_IBAN },
  { detect: findPostcodes, email: false, digits: DIGITS_FOR_NUMBERS },
  { detect: findNumbers, email: false, digits: DIGITS_FOR_NUMBERS },
];

const PLACEHOLDERS: Readonly<Record<PiiKind, string>> = {
  phone: '[phone]',
  email: '[email]',
  iban: '[iban]',
  bsn: '[bsn]',
  card: '[card]',
  'postcode-address': '[address]',
  postcode: '[postcode]',
};

/** Reads the flags as they are when the detector runs: they change only between detectors. */
function availabilityOf(taken: Uint8Array): TokenAvailability {
  return (index) => taken[index] === 0;
}

/** The digit credit of the tokens still available. */
function availableDigits(credits: readonly number[], taken: Uint8Array): number {
  let digits = 0;
  for (let index = 0; index < credits.length; index++) {
    if (taken[index] === 0) digits += credits[index] ?? 0;
  }
  return digits;
}

function overlapsAny(findings: readonly Finding[], candidate: Finding): boolean {
  for (const kept of findings) if (spansOverlap(kept, candidate)) return true;
  return false;
}

/** Runs the detectors; with a survey, those that certainly find nothing are skipped (the result is the same). */
function detect(text: string, tokens: readonly Token[], found: Survey | undefined): Finding[] {
  const findings: Finding[] = [];
  // One flag per token, set once a protected span or an earlier finding covers part of it.
  const taken = new Uint8Array(tokens.length);
  const available = availabilityOf(taken);
  const protectedSpans = findProtectedSpans(text);
  for (const span of protectedSpans) markTaken(tokens, taken, span);
  let digits = !found
    ? 0
    : protectedSpans.length === 0
      ? found.digits
      : availableDigits(found.credits, taken);
  for (const { detect: find, email, digits: fewest } of DETECTORS) {
    if (found && (email ? !found.email : digits < fewest)) continue;
    // Each detector sees only what earlier ones left: earlier (more specific) detectors win an overlap.
    const candidates = find(text, tokens, available, found?.credits);
    const before = findings.length;
    for (const candidate of candidates) {
      if (!overlapsAny(findings, candidate)) findings.push(candidate);
    }
    if (findings.length === before) continue;
    for (let index = before; index < findings.length; index++) {
      markTaken(tokens, taken, findings[index] as Finding);
    }
    if (found) digits = availableDigits(found.credits, taken);
  }
  return findings.length > 1 ? findings.sort((a, b) => a.start - b.start) : findings;
}

/** Every piece of personal data in the text, in reading order, with offsets into the text. */
export function findPersonalData(text: string): Finding[] {
  const tokens = tokenize(text);
  const found = survey(text, tokens);
  if (!found.email && found.digits < DIGITS_FOR_IBAN) return [];
  return detect(text, tokens, found);
}

/** findPersonalData with every detector run, whatever the pre-check says: for tests that check the pre-check. */
export function findPersonalDataWithoutPreCheck(text: string): Finding[] {
  return detect(text, tokenize(text), undefined);
}

/** The text with each finding replaced by a neutral placeholder such as [phone] or [address]. */
export function maskPersonalData(text: string): string {
  const findings = findPersonalData(text);
  if (findings.length === 0) return text;
  let masked = '';
  let previousEnd = 0;
  for (const finding of findings) {
    masked += `${text.slice(previousEnd, finding.start)}${PLACEHOLDERS[finding.kind]}`;
    previousEnd = finding.end;
  }
  return masked + text.slice(previousEnd);
}

function maskValue(value: unknown, copies: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (value === null || typeof value !== 'object') return value;
  const known = copies.get(value);
  if (known !== undefined) return known;

  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    copy.push(...value.map((item) => maskValue(item, copies)));
    return copy;
  }
  if (value instanceof Map) {
    const copy = new Map<unknown, unknown>();
    copies.set(value, copy);
    for (const [key, item] of value) copy.set(key, maskValue(item, copies));
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set<unknown>();
    copies.set(value, copy);
    for (const item of value) copy.add(maskValue(item, copies));
    return copy;
  }
  // An Error's message and stack are not enumerable, yet loggers print them: copy every own property.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (value instanceof Error || prototype === Object.prototype || prototype === null) {
    const copy: object = Object.create(prototype as object | null);
    copies.set(value, copy);
    const descriptors = Object.getOwnPropertyDescriptors(value);
    const masked = Reflect.ownKeys(descriptors).map((key) => {
      const descriptor = descriptors[key as keyof typeof descriptors] as PropertyDescriptor;
      return [
        key,
        'value' in descriptor ? { ...descriptor, value: maskValue(descriptor.value, copies) } : descriptor,
      ];
    });
    return Object.defineProperties(copy, Object.fromEntries(masked));
  }
  // Dates, buffers and class instances are returned as they are: they are not text a person wrote or said.
  return value;
}

/**
 * A copy of a value with every string inside it masked, for handoff packages and log objects. Arrays, plain
 * objects, Maps, Sets and Errors are copied (cycles included); the input is never changed. Keys are not masked.
 */
export function maskDeep<T>(value: T): T {
  return maskValue(value, new WeakMap()) as T;
}
