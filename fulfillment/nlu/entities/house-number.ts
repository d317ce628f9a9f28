// House number entity ("12", "12a", "12-2"), preferring the number after a postcode or after "nummer".

import { findNumberPhrases, type NumberPhrase } from './numbers.ts';
import { findPostcodes } from './postcode.ts';
import { FILLER_WORDS, gapAfter, gapBefore, type Lang, type Token } from './text.ts';
import type { EntityMatch } from './types.ts';

const HOUSE_NUMBER_CUES: ReadonlySet<string> = new Set(['huisnummer', 'nummer', 'nr', 'number', 'no']);
// Words that may stand between a postcode and its house number: "1234 AB, nummer 5", "1234 AB op 12".
const SKIPPABLE_AFTER_POSTCODE: ReadonlySet<string> = new Set([
  ...HOUSE_NUMBER_CUES,
  ...FILLER_WORDS,
  'en',
  'op',
  'and',
  'at',
  'house',
  'huis',
]);

const MAX_HOUSE_NUMBER = 99_999;

// "nummer 5", "huisnummer is 5", "number is 5".
const followsCue = (tokens: readonly Token[], index: number): boolean => {
  const previous = tokens[index - 1]?.norm ?? '';
  if (HOUSE_NUMBER_CUES.has(previous)) return true;
  return (previous === 'is' || previous === 'was') && HOUSE_NUMBER_CUES.has(tokens[index - 2]?.norm ?? '');
};

const isPlausible = (phrase: NumberPhrase): boolean =>
  phrase.value >= 1 && phrase.value <= MAX_HOUSE_NUMBER && !phrase.digits.startsWith('0');

// The addition after the number: a letter ("12a", "12 a", "12-a") or a number after a dash or slash
// ("12-2", "12/2"). A letter after a space only counts at the end of the sentence or clause, so
// "nummer 12 a b" and "twelve a week" are not read as 12a.
const readAddition = (
  text: string,
  tokens: readonly Token[],
  lastToken: number,
): { suffix: string; lastToken: number } => {
  const next = tokens[lastToken + 1];
  if (!next) return { suffix: '', lastToken };
  const gap = gapBefore(text, tokens, lastToken + 1);
  // "4 bis": the Dutch addition for a house inserted later.
  if (next.norm === 'bis' && /^[\s-]*$/.test(gap)) return { suffix: 'bis', lastToken: lastToken + 1 };
  if (/^[a-z]$/.test(next.norm)) {
    const attached = gap === '' || /^\s*-\s*$/.test(gap);
    const endsClause =
      /^\s+$/.test(gap) && (!tokens[lastToken + 2] || /[,.;!?]/.test(gapAfter(text, tokens, lastToken + 1)));
    return attached || endsClause
      ? { suffix: next.norm, lastToken: lastToken + 1 }
      : { suffix: '', lastToken };
  }
  if (next.isDigits && next.raw.length <= 3 && /^\s*[-/]\s*$/.test(gap)) {
    return { suffix: `-${next.raw}`, lastToken: lastToken + 1 };
  }
  return { suffix: '', lastToken };
};

const toMatch = (text: string, tokens: readonly Token[], phrase: NumberPhrase): EntityMatch => {
  const addition = readAddition(text, tokens, phrase.lastToken);
  const end = tokens[addition.lastToken]?.end ?? phrase.end;
  return {
    value: `${phrase.value}${addition.suffix}`,
    text: text.slice(phrase.start, end),
    start: phrase.start,
    end,
  };
};

/**
 * The house number in the text, or null. With `evidenceOnly` a bare number ("twee keer") is not taken as a
 * house number: only one after a postcode or a cue word, or with an addition ("12a", "12-2").
 */
export const findHouseNumber = (
  text: string,
  tokens: readonly Token[],
  lang: Lang,
  evidenceOnly = false,
): EntityMatch | null => {
  const postcodes = findPostcodes(text, tokens, lang);
  const phrases = findNumberPhrases(text, tokens, lang).filter(isPlausible);
  const phraseAt = (index: number) => phrases.find((phrase) => phrase.firstToken === index);

  for (const postcode of postcodes) {
    let index = postcode.lastToken + 1;
    while (tokens[index] && SKIPPABLE_AFTER_POSTCODE.has(tokens[index]?.norm ?? '')) index += 1;
    const afterPostcode = phraseAt(index);
    if (afterPostcode) return toMatch(text, tokens, afterPostcode);
  }

  const outsidePostcodes = phrases.filter((phrase) =>
    postcodes.every(
      (postcode) => phrase.lastToken < postcode.firstToken || phrase.firstToken > postcode.lastToken,
    ),
  );
  const afterCue = outsidePostcodes.find((phrase) => followsCue(tokens, phrase.firstToken));
  if (afterCue) return toMatch(text, tokens, afterCue);
  const candidates = outsidePostcodes
    .filter((phrase) => !phrase.ambiguous)
    .map((phrase) => toMatch(text, tokens, phrase));
  const withAddition = candidates.find((match) => /[^0-9]/.test(match.value));
  return (evidenceOnly ? withAddition : (withAddition ?? candidates[0])) ?? null;
};
