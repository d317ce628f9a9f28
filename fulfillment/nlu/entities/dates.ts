// Date entity: ISO YYYY-MM-DD in the caller's time zone, relative to `now`, preferring the future.
//
// chrono-node does the bulk of the work (chrono.nl / chrono.en). The hand-written rules below only cover
// what it misses in chrono-node 2.10, each noted where it is defined, and win where they overlap it.

import { chronoFor } from './chrono-gates.ts';
import { findNumberPhrases, type NumberPhrase, readOrdinal } from './numbers.ts';
import { gapAfter, keepNonOverlapping, type Lang, type Token, tokenize } from './text.ts';
import type { EntityMatch } from './types.ts';

export const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

interface DateCandidate {
  start: number;
  end: number;
  date: CalendarDate;
  /** Only a weekday was said ("vrijdag"): a date right after it ("vrijdag de vierde") is more precise. */
  weekdayOnly: boolean;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

// Creating an Intl.DateTimeFormat costs tens of microseconds: one per time zone, kept. Creating one for an
// unknown time zone throws a RangeError, as it always did.
const MAX_FORMATTERS = 64;
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

// The extractors of one turn share its `now`: the last answer is kept.
let lastWallClock: { time: number; timeZone: string; wall: WallClock } | undefined;

const wallClockParts = (instant: Date, timeZone: string): WallClock => {
  const time = instant.getTime();
  if (lastWallClock && lastWallClock.time === time && lastWallClock.timeZone === timeZone)
    return lastWallClock.wall;
  const parts = formatterFor(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Object.freeze({
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
  });
  lastWallClock = { time, timeZone, wall };
  return wall;
};

/** The UTC offset of `timeZone` at `instant`, in minutes, as chrono-node wants it. */
const utcOffsetMinutes = (instant: Date, timeZone: string): number => {
  const wall = wallClockParts(instant, timeZone);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const instantToMinute = Math.floor(instant.getTime() / 60_000) * 60_000;
  return Math.round((wallAsUtc - instantToMinute) / 60_000);
};

// Calendar arithmetic on UTC dates, so daylight-saving changes cannot shift a day.
const toUtc = (date: CalendarDate): Date => new Date(Date.UTC(date.year, date.month - 1, date.day));
const fromUtc = (date: Date): CalendarDate => ({
  year: date.getUTCFullYear(),
  month: date.getUTCMonth() + 1,
  day: date.getUTCDate(),
});
const addDays = (date: CalendarDate, days: number): CalendarDate =>
  fromUtc(new Date(toUtc(date).getTime() + days * 86_400_000));
const addMonths = (date: CalendarDate, months: number): CalendarDate => {
  const firstOfMonth = new Date(Date.UTC(date.year, date.month - 1 + months, 1));
  const lastDay = new Date(
    Date.UTC(firstOfMonth.getUTCFullYear(), firstOfMonth.getUTCMonth() + 1, 0),
  ).getUTCDate();
  return { ...fromUtc(firstOfMonth), day: Math.min(date.day, lastDay) };
};
const isValidDate = (date: CalendarDate): boolean => {
  const roundTrip = fromUtc(toUtc(date));
  return roundTrip.year === date.year && roundTrip.month === date.month && roundTrip.day === date.day;
};
const isBefore = (a: CalendarDate, b: CalendarDate): boolean => toUtc(a).getTime() < toUtc(b).getTime();
const toIso = (date: CalendarDate): string =>
  `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

/** Day and month without a year: this year, or next year once that day has passed (29 February: the next leap year). */
const nextDayOfMonthAndMonth = (
  month: number,
  day: number,
  today: CalendarDate,
): CalendarDate | undefined => {
  for (let year = today.year; year <= today.year + 8; year += 1) {
    const date = { year, month, day };
    if (isValidDate(date) && !isBefore(date, today)) return date;
  }
  return undefined;
};

/** A day of the month alone ("op de vijftiende"): this month, or the next month that has that day. */
const nextDayOfMonth = (day: number, today: CalendarDate): CalendarDate | undefined => {
  for (let ahead = 0; ahead < 3; ahead += 1) {
    const month = addMonths({ ...today, day: 1 }, ahead);
    const date = { ...month, day };
    if (isValidDate(date) && !isBefore(date, today)) return date;
  }
  return undefined;
};

const MONTHS: Record<Lang, ReadonlyMap<string, number>> = {
  nl: new Map([
    ['januari', 1],
    ['jan', 1],
    ['februari', 2],
    ['feb', 2],
    ['maart', 3],
    ['mrt', 3],
    ['april', 4],
    ['apr', 4],
    ['mei', 5],
    ['juni', 6],
    ['jun', 6],
    ['juli', 7],
    ['jul', 7],
    ['augustus', 8],
    ['aug', 8],
    ['september', 9],
    ['sep', 9],
    ['sept', 9],
    ['oktober', 10],
    ['okt', 10],
    ['november', 11],
    ['nov', 11],
    ['december', 12],
    ['dec', 12],
  ]),
  en: new Map([
    ['january', 1],
    ['jan', 1],
    ['february', 2],
    ['feb', 2],
    ['march', 3],
    ['mar', 3],
    ['april', 4],
    ['apr', 4],
    ['may', 5],
    ['june', 6],
    ['jun', 6],
    ['july', 7],
    ['jul', 7],
    ['august', 8],
    ['aug', 8],
    ['september', 9],
    ['sep', 9],
    ['sept', 9],
    ['october', 10],
    ['oct', 10],
    ['november', 11],
    ['nov', 11],
    ['december', 12],
    ['dec', 12],
  ]),
};

const WEEKDAYS: Record<Lang, ReadonlySet<string>> = {
  nl: new Set(['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag']),
  en: new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']),
};

interface RuleInput {
  text: string;
  tokens: readonly Token[];
  phrases: readonly NumberPhrase[];
  lang: Lang;
  /** Today in the caller's time zone, worked out on first use. */
  today: () => CalendarDate;
}

const candidateFromTokens = (
  input: RuleInput,
  firstToken: number,
  lastToken: number,
  date: CalendarDate,
): DateCandidate => ({
  start: input.tokens[firstToken]?.start ?? 0,
  end: input.tokens[lastToken]?.end ?? 0,
  date,
  weekdayOnly: false,
});

const phraseEndingAt = (input: RuleInput, lastToken: number) =>
  input.phrases.find((phrase) => phrase.lastToken === lastToken);
const phraseStartingAt = (input: RuleInput, firstToken: number) =>
  input.phrases.find((phrase) => phrase.firstToken === firstToken);

// A day given as a number before the month: chrono.nl only knows digits and ordinal words, so it reads
// "drie december", "een december", "eenentwintig december" and "1e december" as the bare month.
const dayBeforeMonth = (
  input: RuleInput,
  monthToken: number,
): { day: number; firstToken: number } | undefined => {
  for (let first = Math.max(0, monthToken - 3); first < monthToken; first += 1) {
    const ordinal = readOrdinal(input.tokens, first, input.lang, input.text);
    if (ordinal?.lastToken === monthToken - 1) return { day: ordinal.value, firstToken: first };
  }
  const cardinal = phraseEndingAt(input, monthToken - 1);
  return cardinal ? { day: cardinal.value, firstToken: cardinal.firstToken } : undefined;
};

// "december twenty one": chrono.en handles "december twenty first" but not a cardinal day after the month.
const dayAfterMonth = (
  input: RuleInput,
  monthToken: number,
): { day: number; lastToken: number } | undefined => {
  const ordinal = readOrdinal(input.tokens, monthToken + 1, input.lang, input.text);
  if (ordinal) return { day: ordinal.value, lastToken: ordinal.lastToken };
  const cardinal = phraseStartingAt(input, monthToken + 1);
  // "may one ..." is a question, not the first of May.
  if (!cardinal || input.tokens[monthToken]?.norm === 'may') return undefined;
  return { day: cardinal.value, lastToken: cardinal.lastToken };
};

// A spoken year after the date: "1 december tweeduizend zevenentwintig" (chrono.nl stops at "1 december").
const yearAfter = (input: RuleInput, token: number): { year: number; lastToken: number } | undefined => {
  const phrase = phraseStartingAt(input, token);
  if (!phrase || phrase.value < 1900 || phrase.value > 2199) return undefined;
  return { year: phrase.value, lastToken: phrase.lastToken };
};

// Each rule adds its candidates, in text order, to `found`.
type Rule = (input: RuleInput, found: DateCandidate[]) => void;

const dayAndMonthRule: Rule = (input, found) => {
  input.tokens.forEach((token, monthToken) => {
    const month = MONTHS[input.lang].get(token.norm);
    if (month === undefined) return;
    const before = dayBeforeMonth(input, monthToken);
    const after = before ? undefined : dayAfterMonth(input, monthToken);
    const day = before?.day ?? after?.day;
    if (day === undefined || day < 1 || day > 31) return;
    const lastOfDayAndMonth = after?.lastToken ?? monthToken;
    const year = yearAfter(input, lastOfDayAndMonth + 1);
    const date = year ? { year: year.year, month, day } : nextDayOfMonthAndMonth(month, day, input.today());
    if (!date || !isValidDate(date)) return;
    found.push(
      candidateFromTokens(
        input,
        before?.firstToken ?? monthToken,
        year?.lastToken ?? lastOfDayAndMonth,
        date,
      ),
    );
  });
};

/** Every match of a global pattern, like matchAll (which copies the pattern on each call). */
const eachMatch = (pattern: RegExp, text: string, onMatch: (match: RegExpExecArray) => void) => {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) onMatch(match);
  pattern.lastIndex = 0;
};

// "overmorgen" and "the day after tomorrow": chrono-node has no word for two days ahead (it reads "tomorrow").
const TWO_DAY_WORDS: Record<Lang, readonly [RegExp, number][]> = {
  nl: [
    [/(?<![\p{L}\p{N}])overmorgen(?![\p{L}\p{N}])/giu, 2],
    [/(?<![\p{L}\p{N}])eergisteren(?![\p{L}\p{N}])/giu, -2],
  ],
  en: [
    [/(?<![\p{L}\p{N}])(?:the\s+)?day\s+after\s+tomorrow(?![\p{L}\p{N}])/giu, 2],
    [/(?<![\p{L}\p{N}])(?:the\s+)?day\s+before\s+yesterday(?![\p{L}\p{N}])/giu, -2],
  ],
};

const twoDaysRule: Rule = (input, found) => {
  for (const [pattern, days] of TWO_DAY_WORDS[input.lang]) {
    eachMatch(pattern, input.text, (match) => {
      found.push({
        start: match.index,
        end: match.index + match[0].length,
        date: addDays(input.today(), days),
        weekdayOnly: false,
      });
    });
  }
};

// "15-12" (day-month, the Dutch order): chrono.nl only reads it with a year ("15-12-2026") or a slash.
// Not after "nummer", where "12-2" is a house number with a floor.
const DAY_DASH_MONTH = /(?<![\d\-/.])(\d{1,2})-(\d{1,2})(?![\d\-/])/g;
const AFTER_NUMBER_CUE = /(?:nummer|nr\.?)\s*$/i;

const dutchDashDateRule: Rule = (input, found) => {
  if (input.lang !== 'nl') return;
  eachMatch(DAY_DASH_MONTH, input.text, (match) => {
    const start = match.index;
    const before = input.text.slice(0, start);
    if (AFTER_NUMBER_CUE.test(before)) return;
    const date = nextDayOfMonthAndMonth(Number(match[2]), Number(match[1]), input.today());
    if (date) found.push({ start, end: start + match[0].length, date, weekdayOnly: false });
  });
};

const IN_PREFIXES: Record<Lang, ReadonlySet<string>> = {
  nl: new Set(['over', 'binnen']),
  en: new Set(['in', 'within']),
};
const DURATION_UNITS: Record<Lang, ReadonlyMap<string, 'day' | 'week' | 'month'>> = {
  nl: new Map([
    ['dag', 'day'],
    ['dagen', 'day'],
    ['week', 'week'],
    ['weken', 'week'],
    ['maand', 'month'],
    ['maanden', 'month'],
  ]),
  en: new Map([
    ['day', 'day'],
    ['days', 'day'],
    ['week', 'week'],
    ['weeks', 'week'],
    ['month', 'month'],
    ['months', 'month'],
  ]),
};

// "over veertien dagen", "in fifteen days": chrono-node only knows number words up to twelve.
const inDurationRule: Rule = (input, found) => {
  for (const phrase of input.phrases) {
    const prefix = input.tokens[phrase.firstToken - 1];
    const unit = DURATION_UNITS[input.lang].get(input.tokens[phrase.lastToken + 1]?.norm ?? '');
    if (!prefix || !IN_PREFIXES[input.lang].has(prefix.norm) || !unit || phrase.value > 400) continue;
    const date =
      unit === 'month'
        ? addMonths(input.today(), phrase.value)
        : addDays(input.today(), phrase.value * (unit === 'week' ? 7 : 1));
    found.push(candidateFromTokens(input, phrase.firstToken - 1, phrase.lastToken + 1, date));
  }
};

const DAY_ONLY_LEADS: Record<Lang, { prepositions: ReadonlySet<string>; article: string }> = {
  nl: { prepositions: new Set(['op', 'per', 'tot']), article: 'de' },
  en: { prepositions: new Set(['on', 'by', 'until']), article: 'the' },
};

// Words that may follow a lone day of the month; a noun there makes it an ordinary ordinal
// ("op de tweede verdieping", "on the first try"), and a month makes it dayAndMonthRule's.
const DAY_ONLY_FOLLOWERS: Record<Lang, ReadonlySet<string>> = {
  nl: new Set([
    'om',
    'graag',
    'dan',
    'of',
    'en',
    'maar',
    'alstublieft',
    'alsjeblieft',
    'bezorgen',
    'leveren',
    'komen',
  ]),
  en: new Set(['at', 'please', 'then', 'or', 'and', 'but', 'if', 'works', 'is', 'would']),
};

// "op de vijftiende", "on the 15th", "vrijdag de vierde": a day of the month alone, which chrono-node skips.
// Only after a preposition or a weekday, so "de eerste keer" / "the first time" stay dates-free.
const CLAUSE_END = /[,.;!?]/;

const dayOfMonthOnlyRule: Rule = (input, found) => {
  const leads = DAY_ONLY_LEADS[input.lang];
  input.tokens.forEach((token, articleIndex) => {
    if (token.norm !== leads.article) return;
    const lead = input.tokens[articleIndex - 1]?.norm ?? '';
    if (!leads.prepositions.has(lead) && !WEEKDAYS[input.lang].has(lead)) return;
    const ordinal = readOrdinal(input.tokens, articleIndex + 1, input.lang, input.text);
    if (!ordinal || ordinal.value < 1 || ordinal.value > 31) return;
    const followedBy = input.tokens[ordinal.lastToken + 1]?.norm;
    const clauseEnds =
      followedBy === undefined || CLAUSE_END.test(gapAfter(input.text, input.tokens, ordinal.lastToken));
    if (!clauseEnds && !DAY_ONLY_FOLLOWERS[input.lang].has(followedBy ?? '')) return;
    const date = nextDayOfMonth(ordinal.value, input.today());
    if (date) found.push(candidateFromTokens(input, articleIndex, ordinal.lastToken, date));
  });
};

const HAND_WRITTEN_RULES: readonly Rule[] = [
  dayAndMonthRule,
  twoDaysRule,
  dutchDashDateRule,
  inDurationRule,
  dayOfMonthOnlyRule,
];

// With forwardDate chrono pushes "vorige week vrijdag" / "last friday" into the future; these keep the past.
const PAST_MARKER = /(?<![\p{L}])(?:vorige|vorig|afgelopen|verleden|last|past|previous)(?![\p{L}])/iu;
const RELATIVE_DIRECTION =
  /(?<![\p{L}])(?:in|over|binnen|within|from|after|na|ago|geleden|later|next|last|this|coming|volgende|vorige|komende|deze|afgelopen|aanstaande|past|previous)(?![\p{L}])/iu;
// Weekday abbreviations are ordinary words in a transcript: "I sat down", "zo ja".
const SHORT_WEEKDAY_TEXT = /^[\p{L}]{1,5}\.?$/u;
// "aanstaande maandag": chrono.nl returns only "maandag"; the modifier belongs to the date for masking.
const LEADING_MODIFIER = /(?:aanstaande|komende|coming)\s+$/iu;

const chronoCandidates = (text: string, lang: Lang, now: Date, timeZone: string): DateCandidate[] => {
  // chrono.nl / chrono.en with only the parsers that can match this text; none means no results.
  const parser = chronoFor(text, lang);
  if (!parser) return [];
  const reference = { instant: now, timezone: utcOffsetMinutes(now, timeZone) };
  const forward = parser.parse(text, reference, { forwardDate: true });
  const needsPast = forward.some((result) => PAST_MARKER.test(result.text));
  const plain = needsPast ? parser.parse(text, reference) : [];
  return forward.flatMap((forwardResult) => {
    const result = PAST_MARKER.test(forwardResult.text)
      ? (plain.find((candidate) => candidate.index === forwardResult.index) ?? forwardResult)
      : forwardResult;
    const components = result.start;
    const hasDay = components.isCertain('day');
    const hasWeekday = components.isCertain('weekday');
    const tags = components.tags();
    const isRelative = tags.has('result/relativeDate');
    // chrono-node reads a bare duration as an offset from now ("forty two years old", "give me a second"),
    // and an offset in hours or minutes is a time, not a date.
    if (isRelative && (tags.has('result/relativeDateAndTime') || !RELATIVE_DIRECTION.test(result.text)))
      return [];
    // A bare month ("in december", "het is mei") or a bare time ("om 15:00") is not a date.
    if (!hasDay && !hasWeekday && !isRelative) return [];
    const weekdayOnly = hasWeekday && !hasDay && !isRelative;
    if (weekdayOnly && SHORT_WEEKDAY_TEXT.test(result.text.trim())) return [];
    const date = {
      year: components.get('year') ?? 0,
      month: components.get('month') ?? 0,
      day: components.get('day') ?? 0,
    };
    if (!isValidDate(date)) return [];
    const modifier = LEADING_MODIFIER.exec(text.slice(0, result.index));
    const start = modifier ? modifier.index : result.index;
    return [{ start, end: result.index + result.text.length, date, weekdayOnly }];
  });
};

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

// Keeps the longest of overlapping candidates (the earliest on a tie) and returns them in text order.
const withoutOverlaps = (candidates: readonly DateCandidate[]): DateCandidate[] =>
  keepNonOverlapping(
    [...candidates].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start),
    (candidate) => candidate,
  ).sort((a, b) => a.start - b.start);

// "vrijdag de vierde december": the weekday names the day that the date after it pins down exactly.
const mergeWeekdayIntoFollowingDate = (text: string, candidates: readonly DateCandidate[]): DateCandidate[] =>
  candidates.flatMap((candidate, index) => {
    const next = candidates[index + 1];
    const previous = candidates[index - 1];
    const joins = (a: DateCandidate, b: DateCandidate) =>
      /^[\s,]*(?:(?:de|the)\s+)?$/i.test(text.slice(a.end, b.start));
    if (candidate.weekdayOnly && next && !next.weekdayOnly && joins(candidate, next)) return [];
    if (previous?.weekdayOnly && !candidate.weekdayOnly && joins(previous, candidate)) {
      return [{ ...candidate, start: previous.start }];
    }
    return [candidate];
  });

/** All dates in the text, in text order. */
export const findDates = (
  text: string,
  lang: Lang,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): EntityMatch[] => {
  // Fail as before on an unknown time zone or an invalid `now`, even when the text has no date in it.
  const formatter = formatterFor(timeZone);
  if (Number.isNaN(now.getTime())) formatter.formatToParts(now);
  const tokens = tokenize(text);
  let today: CalendarDate | undefined;
  const input: RuleInput = {
    text,
    tokens,
    phrases: findNumberPhrases(text, tokens, lang),
    lang,
    // Only a rule that found a date needs today's date.
    today: () => {
      if (!today) {
        const { year, month, day } = wallClockParts(now, timeZone);
        today = { year, month, day };
      }
      return today;
    },
  };
  const found: DateCandidate[] = [];
  for (const rule of HAND_WRITTEN_RULES) rule(input, found);
  const handWritten = withoutOverlaps(found);
  const fromChrono = chronoCandidates(text, lang, now, timeZone).filter(
    (candidate) => !handWritten.some((rule) => overlaps(rule, candidate)),
  );
  const combined = withoutOverlaps([...handWritten, ...fromChrono]);
  return mergeWeekdayIntoFollowingDate(text, combined).map((candidate) => ({
    value: toIso(candidate.date),
    text: text.slice(candidate.start, candidate.end),
    start: candidate.start,
    end: candidate.end,
  }));
};
