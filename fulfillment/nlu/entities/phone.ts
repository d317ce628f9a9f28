// Phone number entity: digit runs (typed or read out) validated and formatted to E.164 by libphonenumber-js.

// The "max" metadata validates number ranges, not just lengths: "0123456789" is not a Dutch number.
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { type DigitRun, findDigitRuns } from './numbers.ts';
import type { Lang, Token } from './text.ts';
import type { EntityMatch } from './types.ts';

const DEFAULT_REGION: CountryCode = 'NL';
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;

/** NL first (the service's home), then the locale's own region ("en-US" -> US) for callers from elsewhere. */
const regionsFor = (locale: string): CountryCode[] => {
  const region = locale.split(/[-_]/)[1]?.toUpperCase() ?? '';
  return region !== DEFAULT_REGION && isSupportedCountry(region)
    ? [DEFAULT_REGION, region]
    : [DEFAULT_REGION];
};

const toE164 = (
  digits: string,
  international: boolean,
  regions: readonly CountryCode[],
): string | undefined => {
  for (const region of regions) {
    const parsed = parsePhoneNumberFromString(international ? `+${digits}` : digits, region);
    if (parsed?.isValid()) return parsed.number;
  }
  return undefined;
};

// "+31 6 ..." or "plus eenendertig zes ...": the plus belongs to the number and to its span.
const internationalPrefixStart = (
  text: string,
  tokens: readonly Token[],
  run: DigitRun,
  firstToken: number,
) => {
  const previous = tokens[firstToken - 1];
  if (previous?.norm === 'plus' && /^\s*$/.test(text.slice(previous.end, run.start))) return previous.start;
  const plus = /\+\s*$/.exec(text.slice(0, tokens[firstToken]?.start ?? 0));
  return plus ? plus.index : undefined;
};

// The longest valid stretch of a run's pieces, so words or digits said around a number do not spoil it.
const phoneInRun = (
  text: string,
  tokens: readonly Token[],
  run: DigitRun,
  regions: readonly CountryCode[],
): EntityMatch | undefined => {
  const { pieces } = run;
  // No stretch of a run has more digits than the run: most runs are too short to be a phone number.
  if (run.digits.length < MIN_DIGITS) return undefined;
  let best: EntityMatch | undefined;
  for (let first = 0; first < pieces.length; first += 1) {
    for (let last = pieces.length - 1; last >= first; last -= 1) {
      const stretch = pieces.slice(first, last + 1);
      const digits = stretch.map((piece) => piece.digits).join('');
      if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) continue;
      const firstToken = stretch[0]?.firstToken ?? 0;
      const plusStart = first === 0 ? internationalPrefixStart(text, tokens, run, firstToken) : undefined;
      const value = toE164(digits, plusStart !== undefined, regions);
      if (!value) continue;
      const start = plusStart ?? tokens[firstToken]?.start ?? 0;
      const end = tokens[stretch.at(-1)?.lastToken ?? firstToken]?.end ?? 0;
      if (!best || end - start > best.end - best.start)
        best = { value, text: text.slice(start, end), start, end };
    }
  }
  return best;
};

/** All valid phone numbers in the text, as E.164 ("+31612345678"), in text order. */
export const findPhoneNumbers = (
  text: string,
  tokens: readonly Token[],
  lang: Lang,
  locale: string,
): EntityMatch[] => {
  const regions = regionsFor(locale);
  return findDigitRuns(text, tokens, lang).flatMap((run) => {
    const phone = phoneInRun(text, tokens, run, regions);
    return phone ? [phone] : [];
  });
};
