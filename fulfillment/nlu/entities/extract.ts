// Public API of Loket's entity extraction: one entity of a type, a custom entity, or all entities for masking.

import { findCustomMatches } from './custom.ts';
import { DEFAULT_TIME_ZONE, findDates } from './dates.ts';
import { findDigitStrings, findReferenceNumbers } from './digits.ts';
import { findHouseNumber } from './house-number.ts';
import { findNumbers } from './numbers.ts';
import { findPhoneNumbers } from './phone.ts';
import { findPostcodes } from './postcode.ts';
import { keepNonOverlapping, languageOf, tokenize } from './text.ts';
import type { BuiltinEntityType, CustomEntityType, EntityMatch, ExtractContext, Locale } from './types.ts';
import { findYesNo, findYesNoPhrases } from './yes-no.ts';

export type { BuiltinEntityType, CustomEntityType, EntityMatch, ExtractContext, Locale } from './types.ts';
export { BUILTIN_ENTITY_TYPES } from './types.ts';

const asMatch = ({ value, text, start, end }: EntityMatch): EntityMatch => ({ value, text, start, end });

/**
 * Every candidate of a type, the preferred one first. `single` asks for the answer extractBuiltin gives: for
 * yesNo the deciding phrase (else every phrase), for houseNumber any number as a last resort (else only one
 * with evidence, so a bare "twee" stays a `number` when masking).
 */
const candidatesOf = (
  type: BuiltinEntityType,
  text: string,
  ctx: ExtractContext,
  single: boolean,
): EntityMatch[] => {
  const lang = languageOf(ctx.locale);
  const tokens = tokenize(text);
  switch (type) {
    case 'number':
      return findNumbers(text, tokens, lang);
    case 'digits':
      return findDigitStrings(text, tokens, lang);
    case 'date':
      return findDates(text, lang, ctx.now, ctx.timeZone ?? DEFAULT_TIME_ZONE);
    case 'postcode':
      return findPostcodes(text, tokens, lang).map(asMatch);
    case 'houseNumber': {
      const houseNumber = findHouseNumber(text, tokens, lang, !single);
      return houseNumber ? [houseNumber] : [];
    }
    case 'phoneNumber':
      return findPhoneNumbers(text, tokens, lang, ctx.locale);
    case 'orderNumber':
    case 'customerNumber':
      return findReferenceNumbers(text, tokens, lang);
    case 'yesNo': {
      if (!single) return findYesNoPhrases(text, tokens, lang);
      const answer = findYesNo(text, tokens, lang);
      return answer ? [answer] : [];
    }
  }
};

/** The entity of `type` in `text`, or null. */
export function extractBuiltin(
  type: BuiltinEntityType,
  text: string,
  ctx: ExtractContext,
): EntityMatch | null {
  return candidatesOf(type, text, ctx, true)[0] ?? null;
}

/** The best match of a custom entity type (its value is the entry's id), or null. Matching is locale-independent. */
export function extractCustom(entity: CustomEntityType, text: string, _locale: Locale): EntityMatch | null {
  return findCustomMatches(entity, text)[0] ?? null;
}

// On spans of equal length the more specific type wins: a phone number over a plain digit string, a
// postcode over a number, a custom entity over a bare number or a yes/no word. A lone "twee" is a number
// rather than a one-digit string; a run read out digit by digit is longer than any number in it anyway.
const SPECIFICITY: readonly string[] = [
  'phoneNumber',
  'postcode',
  'date',
  'orderNumber',
  'customerNumber',
  'custom',
  'houseNumber',
  'number',
  'digits',
  'yesNo',
];

interface TypedMatch {
  type: string;
  match: EntityMatch;
  rank: number;
}

/**
 * All entities of the given types, non-overlapping, longest (then most specific, then earliest) first.
 * Used to mask entity spans before intent classification.
 */
export function findAllEntities(
  text: string,
  types: { builtin: readonly BuiltinEntityType[]; custom: readonly CustomEntityType[] },
  ctx: ExtractContext,
): { type: string; match: EntityMatch }[] {
  const candidates: TypedMatch[] = [];
  for (const type of types.builtin) {
    const rank = SPECIFICITY.indexOf(type);
    for (const match of candidatesOf(type, text, ctx, false)) candidates.push({ type, match, rank });
  }
  const customRank = SPECIFICITY.indexOf('custom');
  for (const entity of types.custom) {
    for (const match of findCustomMatches(entity, text))
      candidates.push({ type: entity.name, match, rank: customRank });
  }
  const length = (candidate: TypedMatch) => candidate.match.end - candidate.match.start;
  const preferred = candidates.sort(
    (a, b) => length(b) - length(a) || a.rank - b.rank || a.match.start - b.match.start,
  );
  return keepNonOverlapping(preferred, (candidate) => candidate.match).map(({ type, match }) => ({
    type,
    match,
  }));
}
