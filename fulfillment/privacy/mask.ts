// Masks personal data (phone, e-mail, IBAN, BSN, card, postcode/address) in transcripts, handoff packages and logs.
import { findSpokenEmails, findTypedEmails } from './detect-email.ts';
import { findIbans } from './detect-iban.ts';
import { findNumbers } from './detect-numbers.ts';
import { findPostcodes } from './detect-postcode.ts';
import type { Finding, PiiKind } from './finding.ts';
import { findProtectedSpans } from './protected-spans.ts';
import {
  availabilityAround,
  type Span,
  spansOverlap,
  type Token,
  type TokenAvailability,
  tokenize,
} from './tokens.ts';

export type { Finding, PiiKind } from './finding.ts';

type Detector = (text: string, tokens: readonly Token[], available: TokenAvailability) => Finding[];

// Most specific first: an e-mail or IBAN contains digits the number detectors would otherwise take, and a postcode
// run ("hoofdstraat 12 1234 AB") must be claimed before phone numbers are looked for in what is left.
const DETECTORS: readonly Detector[] = [
  (text) => findTypedEmails(text),
  findSpokenEmails,
  findIbans,
  findPostcodes,
  findNumbers,
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

/** Every piece of personal data in the text, in reading order, with offsets into the text. */
export function findPersonalData(text: string): Finding[] {
  const tokens = tokenize(text);
  const protectedSpans: readonly Span[] = findProtectedSpans(text);
  const findings: Finding[] = [];
  for (const detect of DETECTORS) {
    // Each detector sees only what earlier ones left: earlier (more specific) detectors win an overlap.
    const available = availabilityAround(tokens, [...protectedSpans, ...findings]);
    for (const candidate of detect(text, tokens, available)) {
      if (!findings.some((found) => spansOverlap(found, candidate))) findings.push(candidate);
    }
  }
  return findings.sort((a, b) => a.start - b.start);
}

/** The text with each finding replaced by a neutral placeholder such as [phone] or [address]. */
export function maskPersonalData(text: string): string {
  const findings = findPersonalData(text);
  if (findings.length === 0) return text;
  const pieces = findings.flatMap((finding, position) => {
    const previousEnd = findings[position - 1]?.end ?? 0;
    return [text.slice(previousEnd, finding.start), PLACEHOLDERS[finding.kind]];
  });
  return [...pieces, text.slice(findings[findings.length - 1]?.end ?? 0)].join('');
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
