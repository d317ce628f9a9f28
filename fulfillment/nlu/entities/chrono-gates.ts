// Runs only the chrono-node parsers that can match a text, so an utterance without any date words costs no
// chrono time at all.
//
// chrono-node tries every one of its ~17 parsers (long regexes) on every text, ~20-30 µs even when nothing
// matches. A parser whose pattern does not match anywhere in the text contributes nothing, and the refiners
// only rework the parsers' results, so parsing with just the parsers that might match gives exactly the same
// results. Each gate below is a necessary condition for one parser's pattern in chrono-node 2.10 (the text must
// contain what every match of that pattern contains); a parser without a gate (a newer chrono-node) always runs.
// tests/nlu/entities/chrono-gates.test.ts checks the gates against the parsers' own patterns.

import * as chrono from 'chrono-node';
import type { Lang } from './text.ts';

type ChronoInstance = typeof chrono.nl.casual;

const alternatives = (words: readonly string[]) => `(?:${words.join('|')})`;

// Gates use the same flags as chrono-node's patterns ('i', no 'u'), so `\W`, `\s` and case folding agree.
const gate = (source: string) => new RegExp(source, 'i');
// chrono-node's left word boundary `(\W|^)`, for patterns that start with the word itself.
const WORD_START = '(?<![A-Za-z0-9_])';
const WORD_END = '(?=\\W|$)';

const DIGIT = gate('[0-9]');
const ISO_DATE = gate('[0-9]{4}-[0-9]{1,2}-[0-9]');
const SLASH_DATE = gate('[0-9][/.\\-][0-9]');
const SLASH_MONTH = gate('[0-9]/[0-9]{4}');

// --- Dutch (chrono.nl.casual)

const NL_UNIT = alternatives([
  'sec',
  'second',
  'seconden',
  'min',
  'mins',
  'minute',
  'minuut',
  'minuten',
  'minuutje',
  'h',
  'hr',
  'hrs',
  'uur',
  'u',
  'uren',
  'dag',
  'dagen',
  'week',
  'weken',
  'maand',
  'maanden',
  'jaar',
  'jr',
  'jaren',
]);
const NL_NUMBER =
  '(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|[0-9]+|[0-9]+[\\.,][0-9]+|halve?|half|paar)';
// The last "<number> <unit>" of a duration ("twee dagen"), and what may follow it.
const NL_DURATION = `${NL_NUMBER}\\s{0,5}${NL_UNIT}`;
const NL_MONTH = alternatives([
  'januari',
  'jan',
  'februari',
  'feb',
  'maart',
  'mar',
  'mrt',
  'april',
  'apr',
  'mei',
  'juni',
  'jun',
  'juli',
  'jul',
  'augustus',
  'aug',
  'september',
  'sep',
  'sept',
  'oktober',
  'okt',
  'november',
  'nov',
  'december',
  'dec',
]);
const NL_WEEKDAY = alternatives([
  'zondag',
  'zon',
  'zo',
  'maandag',
  'ma',
  'dinsdag',
  'din',
  'di',
  'woensdag',
  'woe',
  'wo',
  'donderdag',
  'dond',
  'do',
  'vrijdag',
  'vrij',
  'vr',
  'zaterdag',
  'zat',
  'za',
]);

const NL_GATES: Record<string, RegExp> = {
  NLCasualDateParser: gate(`${WORD_START}(?:nu|vandaag|morgen|morgend|gisteren)${WORD_END}`),
  NLCasualDateTimeParser: gate(
    `${WORD_START}(?:gisteren|morgen|van)(?:ochtend|middag|namiddag|avond|nacht)${WORD_END}`,
  ),
  NLCasualTimeParser: gate(
    `(?:namiddag|avond|middernacht|ochtend|middag|'s middags|'s avonds|'s ochtends)${WORD_END}`,
  ),
  NLCasualYearMonthDayParser: gate('[0-9]{4}[./\\s]'),
  // A month name is followed by a non-word character, the end, or a year: "mei", "1 mei 2027", "mei2027".
  NLMonthNameMiddleEndianParser: gate(`${NL_MONTH}(?=\\W|$|[0-9])`),
  NLMonthNameParser: gate(`${NL_MONTH}(?=\\W|$|[0-9])`),
  NLRelativeDateFormatParser: gate(
    `(?:dit|deze|(?:aan)?komend|volgend|afgelopen|vorig)e?\\s*${NL_UNIT}${WORD_END}`,
  ),
  NLSlashMonthFormatParser: SLASH_MONTH,
  NLTimeExpressionParser: DIGIT,
  NLTimeUnitAgoFormatParser: gate(`${NL_DURATION}\\s{0,5}(?:geleden|voor|eerder)`),
  NLTimeUnitCasualRelativeFormatParser: gate(`${NL_DURATION}${WORD_END}`),
  NLTimeUnitLaterFormatParser: gate(`${NL_DURATION}\\s{0,5}(?:later|na|vanaf nu|voortaan|vooruit|uit)`),
  NLTimeUnitWithinFormatParser: gate(`${NL_DURATION}${WORD_END}`),
  NLWeekdayParser: gate(`${NL_WEEKDAY}${WORD_END}`),
  ISOFormatParser: ISO_DATE,
  SlashDateFormatParser: SLASH_DATE,
};

// --- English (chrono.en.casual)

const EN_UNIT = alternatives([
  's',
  'sec',
  'second',
  'seconds',
  'm',
  'min',
  'mins',
  'minute',
  'minutes',
  'h',
  'hr',
  'hrs',
  'hour',
  'hours',
  'd',
  'day',
  'days',
  'w',
  'week',
  'weeks',
  'mo',
  'mon',
  'mos',
  'month',
  'months',
  'qtr',
  'quarter',
  'quarters',
  'y',
  'yr',
  'year',
  'years',
]);
// chrono-node's own NUMBER_PATTERN for English, "a" and "the" included ("in a day", "the week after").
const EN_NUMBER =
  '(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[0-9]+|[0-9]+\\.[0-9]+|' +
  'half(?:\\s{0,2}an?)?|an?\\b(?:\\s{0,2}few)?|few|several|the|a?\\s{0,2}couple\\s{0,2}(?:of)?)';
const EN_DURATION = `${EN_NUMBER}\\s{0,3}${EN_UNIT}`;
const EN_MONTH = alternatives([
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
]);
// What may follow a month name directly: a day ("march3", "may first"), a year, or "of" ("may of 2027").
const EN_AFTER_MONTH =
  '(?=\\W|$|[0-9]|of|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|' +
  'thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty|thirtieth|thirty)';
const EN_MONTH_GATE = gate(`${EN_MONTH}${EN_AFTER_MONTH}`);
const EN_WEEKDAY = alternatives([
  'sunday',
  'sun',
  'monday',
  'mon',
  'tuesday',
  'tue',
  'wednesday',
  'wed',
  'thursday',
  'thurs',
  'thur',
  'thu',
  'friday',
  'fri',
  'saturday',
  'sat',
  'weekend',
  'weekday',
]);

const EN_GATES: Record<string, RegExp> = {
  ENCasualDateParser: gate(
    `${WORD_START}(?:now|today|tonight|tomorrow|overmorrow|tmr|tmrw|yesterday|last\\s*night)${WORD_END}`,
  ),
  ENCasualTimeParser: gate(`(?:morning|afternoon|evening|night|midnight|midday|noon)${WORD_END}`),
  ENEndOfCurrentMonthParser: gate(`(?:last\\s+day|end)\\s+of\\s+(?:the\\s+)?month${WORD_END}`),
  ENMonthNameLittleEndianParser: EN_MONTH_GATE,
  ENMonthNameMiddleEndianParser: EN_MONTH_GATE,
  ENMonthNameParser: EN_MONTH_GATE,
  ENRelativeDateFormatParser: gate(`(?:this|last|past|next|after\\s*this)\\s*${EN_UNIT}${WORD_END}`),
  ENSlashMonthFormatParser: SLASH_MONTH,
  ENTimeExpressionParser: DIGIT,
  ENTimeUnitAgoFormatParser: gate(`${EN_DURATION}\\s{0,5}(?:ago|before|earlier)`),
  ENTimeUnitCasualRelativeFormatParser: gate(`${EN_DURATION}${WORD_END}`),
  ENTimeUnitLaterFormatParser: gate(`${EN_DURATION}\\s{0,5}(?:later|after|from now|henceforth|forward|out)`),
  ENTimeUnitWithinFormatParser: gate(`${EN_DURATION}${WORD_END}`),
  // "friday", "friday, next week", "fridaythis week": after the weekday a non-word character or a modifier.
  ENWeekdayParser: gate(`${EN_WEEKDAY}(?=\\W|$|of|this|last|past|next)`),
  ENYearMonthDayParser: gate('[0-9]{4}[-./\\s]'),
  ENYearMonthNameParser: DIGIT,
  ISOFormatParser: ISO_DATE,
  SlashDateFormatParser: SLASH_DATE,
};

const ALWAYS = /(?:)/;

interface GatedChrono {
  base: ChronoInstance;
  /** The distinct gates, each tested once per text. */
  gates: readonly RegExp[];
  /** For each of the base's parsers, its gate's index in `gates`. */
  gateOfParser: readonly number[];
  /** Chrono instances with a subset of the parsers (and every refiner), by bit mask of the parsers. */
  subsets: Map<number, ChronoInstance>;
}

/** Which parser class each gate belongs to; exported for the test that checks the gates. */
export const GATES_BY_LANG: Record<Lang, Readonly<Record<string, RegExp>>> = { nl: NL_GATES, en: EN_GATES };

const gatedChrono = (base: ChronoInstance, gatesByParser: Readonly<Record<string, RegExp>>): GatedChrono => {
  const gates: RegExp[] = [];
  const gateOfParser = base.parsers.map((parser) => {
    const gateOfThis = Object.hasOwn(gatesByParser, parser.constructor.name)
      ? (gatesByParser[parser.constructor.name] ?? ALWAYS)
      : ALWAYS;
    const index = gates.indexOf(gateOfThis);
    if (index >= 0) return index;
    gates.push(gateOfThis);
    return gates.length - 1;
  });
  return { base, gates, gateOfParser, subsets: new Map() };
};

const GATED: Record<Lang, GatedChrono> = {
  nl: gatedChrono(chrono.nl.casual, NL_GATES),
  en: gatedChrono(chrono.en.casual, EN_GATES),
};

// Texts use few combinations of parsers; this only bounds the memory should they use many.
const MAX_SUBSETS = 512;
// Bit masks stay exact up to 31 parsers; with more, the full parser would be used.
const MAX_GATED_PARSERS = 31;

/**
 * The chrono-node parser of the language (chrono.nl / chrono.en) reduced to the parsers that can match
 * `text`, or undefined when none can: then parsing `text` would find nothing.
 */
export const chronoFor = (text: string, lang: Lang): ChronoInstance | undefined => {
  const gated = GATED[lang];
  if (gated.gateOfParser.length > MAX_GATED_PARSERS) return gated.base;
  let hits = 0;
  for (let gateIndex = 0; gateIndex < gated.gates.length; gateIndex += 1) {
    if (gated.gates[gateIndex]?.test(text)) hits |= 1 << gateIndex;
  }
  if (hits === 0) return undefined;
  let mask = 0;
  for (let parserIndex = 0; parserIndex < gated.gateOfParser.length; parserIndex += 1) {
    if (hits & (1 << (gated.gateOfParser[parserIndex] ?? 0))) mask |= 1 << parserIndex;
  }
  let subset = gated.subsets.get(mask);
  if (!subset) {
    const parsers = gated.base.parsers.filter((_, parserIndex) => (mask & (1 << parserIndex)) !== 0);
    subset = new chrono.Chrono({ parsers, refiners: gated.base.refiners });
    if (gated.subsets.size >= MAX_SUBSETS) gated.subsets.clear();
    gated.subsets.set(mask, subset);
  }
  return subset;
};
